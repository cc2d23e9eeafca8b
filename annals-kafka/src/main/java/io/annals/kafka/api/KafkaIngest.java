package io.annals.kafka.api;

import io.annals.core.api.EventStore;
import io.annals.kafka.internal.Backoff;
import io.annals.kafka.internal.IngestLoop;
import io.annals.kafka.internal.IngestMeters;
import io.annals.kafka.internal.TopicRouter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Consumes Kafka topics in a consumer group and appends their events to a store.
 * <pre>{@code
 * try (KafkaIngest ingest = KafkaIngest.builder(store).bootstrapServers("localhost:9092").topics("orders").start()) {
 *     ...
 * }
 * }</pre>
 * <ul>
 *   <li>Records are CloudEvents in binary mode (as {@link KafkaRelay} writes them) or structured mode
 *       ({@code content-type: application/cloudevents+json}, or {@code application/cloudevents-batch+json}).</li>
 *   <li>Each event is appended with its CloudEvent id as its id, so a record read twice is stored once. Offsets are
 *       committed (manually) only after the events of every record up to them are stored: at least once.</li>
 *   <li>A record that cannot be stored (not a CloudEvent, invalid, an id already stored with other content) is
 *       copied to the dead-letter topic with the reason in the header {@code annals.dlq.reason}; then its offset
 *       is committed.</li>
 *   <li>While the store is unavailable nothing is committed; the same records are retried after a back-off.</li>
 * </ul>
 * One thread per ingest. Thread-safe.
 */
public final class KafkaIngest implements AutoCloseable {
    /** The header that says why a record went to the dead-letter topic. */
    public static final String DEAD_LETTER_REASON = IngestLoop.REASON;

    private final IngestLoop loop;
    private final Thread thread;

    private KafkaIngest(IngestLoop loop, String group) {
        this.loop = loop;
        this.thread = new Thread(loop, "annals-kafka-ingest-" + group);
        thread.setDaemon(true);
        thread.start();
    }

    public static Builder builder(EventStore store) {
        return new Builder(store);
    }

    /** Stops consuming; offsets of records already stored were committed. */
    @Override
    public void close() {
        loop.stop();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings of an ingest; bootstrap servers and at least one topic are required. */
    public static final class Builder {
        private final EventStore store;
        private String bootstrapServers;
        private List<String> topics = List.of();
        private String group = "annals-ingest";
        private String deadLetterTopic = "{topic}.dlq";
        private final Map<String, String> consumerProperties = new LinkedHashMap<>();
        private final Map<String, String> producerProperties = new LinkedHashMap<>();
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private MeterRegistry registry;

        private Builder(EventStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        public Builder bootstrapServers(String servers) {
            if (servers == null || servers.isBlank())
                throw new IllegalArgumentException("bootstrap servers must name at least one host:port");
            this.bootstrapServers = servers;
            return this;
        }

        public Builder topics(String... topics) {
            return topics(List.of(topics));
        }

        public Builder topics(List<String> topics) {
            for (String t : topics) TopicRouter.checkTopic(t, "ingest topic");
            this.topics = List.copyOf(topics);
            return this;
        }

        /** The consumer group (default {@code annals-ingest}); instances of one group share the partitions. */
        public Builder group(String group) {
            if (group == null || group.isBlank()) throw new IllegalArgumentException("the consumer group must not be empty");
            this.group = group;
            return this;
        }

        /** Where unreadable records go; {@code {topic}} is replaced by the record's topic. Default {@code {topic}.dlq}. */
        public Builder deadLetterTopic(String template) {
            TopicRouter.checkTopic(Objects.requireNonNull(template).replace("{topic}", "t"), "dead-letter topic");
            this.deadLetterTopic = template;
            return this;
        }

        /** A consumer setting; the ingest sets {@code group.id}, {@code enable.auto.commit=false} and the deserializers. */
        public Builder consumerProperty(String key, String value) {
            consumerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public Builder consumerProperties(Map<String, String> properties) {
            properties.forEach(this::consumerProperty);
            return this;
        }

        /** A setting of the dead-letter producer (security settings, for example). */
        public Builder producerProperty(String key, String value) {
            producerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public Builder producerProperties(Map<String, String> properties) {
            properties.forEach(this::producerProperty);
            return this;
        }

        public Builder pollTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero())
                throw new IllegalArgumentException("poll timeout must be positive, not " + timeout);
            this.pollTimeout = timeout;
            return this;
        }

        public Builder backoff(Duration min, Duration max) {
            new Backoff(min, max);
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** Starts consuming on a thread of its own. @throws IllegalArgumentException on a bad setting */
        public KafkaIngest start() {
            if (bootstrapServers == null)
                throw new IllegalArgumentException("the ingest needs bootstrap servers (for example localhost:9092)");
            if (topics.isEmpty()) throw new IllegalArgumentException("the ingest needs at least one topic");
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, "annals-ingest-" + group);
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.putAll(consumerProperties);
            c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "annals-ingest-dlq-" + group);
            p.putAll(producerProperties);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            KafkaConsumer<byte[], byte[]> consumer;
            KafkaProducer<byte[], byte[]> producer;
            try {
                consumer = new KafkaConsumer<>(c);
            } catch (KafkaException e) {
                throw new IllegalArgumentException("cannot make the ingest's Kafka consumer: " + e.getMessage(), e);
            }
            try {
                producer = new KafkaProducer<>(p);
            } catch (KafkaException e) {
                consumer.close();
                throw new IllegalArgumentException("cannot make the ingest's dead-letter producer: " + e.getMessage(), e);
            }
            IngestLoop.Config config = new IngestLoop.Config(group, topics, deadLetterTopic, pollTimeout,
                    new Backoff(minBackoff, maxBackoff));
            return new KafkaIngest(new IngestLoop(store, config, consumer, producer, new IngestMeters(registry, group)), group);
        }
    }
}
