package io.annals.kafka.api;

import io.annals.core.api.Event;
import io.annals.core.api.StoreUnavailableException;
import io.annals.kafka.internal.CloudEventsKafka;
import io.annals.kafka.internal.TopicRouter;
import io.annals.kafka.internal.TransportConsumer;
import io.annals.sourcing.api.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The durable schedule of annals-sourcing on Kafka: a {@link Transport} over one topic.
 * <pre>{@code
 * try (KafkaTransport kafka = KafkaTransport.builder().bootstrapServers("localhost:9092").topic("parcels").build()) {
 *     Processing tracking = Processing.builder(domain).schedule(Schedule.DURABLE).transport(kafka)
 *             .on(ParcelEvent.class, tracker).start();
 * }
 * }</pre>
 * <ul>
 *   <li>Each event is one record in the format of {@link KafkaRelay}: the CloudEvents Kafka binding in binary mode,
 *       keyed by {@code aggregateType/aggregateId}, so each aggregate's events stay in one partition, in order. A
 *       topic the relay writes can be consumed here, and the other way round.</li>
 *   <li>{@link #publish} uses an idempotent producer with {@code acks=all} and returns when Kafka acknowledged every
 *       event; on failure it throws a {@link StoreUnavailableException} (some events may have been written: publish
 *       again, handlers dedupe by id).</li>
 *   <li>{@link #consume} runs a consumer of the group on a thread of its own; a new group starts at the earliest
 *       record Kafka keeps. Offsets are committed after each polled batch, up to the last record handled, so events
 *       are handled at least once. A record that is not a CloudEvent ends the consumption like a handler failure.</li>
 * </ul>
 * Thread-safe. Closing it closes its producer and every consumption.
 */
public final class KafkaTransport implements Transport {
    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final Properties consumerProperties;
    private final Duration pollTimeout;
    private final Set<TransportConsumer> consumers = ConcurrentHashMap.newKeySet();

    private KafkaTransport(String topic, Producer<byte[], byte[]> producer, Properties consumerProperties,
                           Duration pollTimeout) {
        this.topic = topic;
        this.producer = producer;
        this.consumerProperties = consumerProperties;
        this.pollTimeout = pollTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The topic events are published to and consumed from. */
    public String topic() {
        return topic;
    }

    @Override
    public void publish(List<Event> events) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        try {
            for (Event e : events) sent.add(producer.send(CloudEventsKafka.record(topic, e)));
            for (Future<RecordMetadata> f : sent) f.get();
        } catch (ExecutionException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new StoreUnavailableException("Kafka did not acknowledge the events published to " + topic + " ("
                    + cause + "); publish them again (handlers dedupe by id)", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for Kafka to acknowledge events", e);
        }
    }

    @Override
    public Consumption consume(String group, Handler handler) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(handler, "handler");
        Properties p = new Properties();
        p.putAll(consumerProperties);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        TransportConsumer consumer = new TransportConsumer(topic, p, pollTimeout, handler, consumers::remove);
        consumers.add(consumer);
        consumer.start();
        return consumer;
    }

    @Override
    public void close() {
        for (TransportConsumer c : List.copyOf(consumers)) c.close();
        producer.close();
    }

    /** Settings of a transport; {@link #bootstrapServers} is required. Setters fail at once on bad values. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic = "annals.events";
        private final Map<String, String> producerProperties = new LinkedHashMap<>();
        private final Map<String, String> consumerProperties = new LinkedHashMap<>();
        private Duration pollTimeout = Duration.ofMillis(200);

        private Builder() {}

        /** Kafka's {@code bootstrap.servers}, for example {@code localhost:9092}. Required. */
        public Builder bootstrapServers(String servers) {
            if (servers == null || servers.isBlank())
                throw new IllegalArgumentException("bootstrap servers must name at least one host:port");
            this.bootstrapServers = servers;
            return this;
        }

        /** The topic (default {@code annals.events}, the relay's default). */
        public Builder topic(String name) {
            TopicRouter.checkTopic(name, "topic");
            this.topic = name;
            return this;
        }

        /** A producer setting; {@code enable.idempotence=true} and {@code acks=all} cannot be changed. */
        public Builder producerProperty(String key, String value) {
            producerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** A consumer setting; {@code enable.auto.commit} is always false, and the group comes from the processing. */
        public Builder consumerProperty(String key, String value) {
            consumerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        /** How long a consumer waits in one poll (default 200 ms); closing a consumption waits at most this long. */
        public Builder pollTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero())
                throw new IllegalArgumentException("poll timeout must be positive, not " + timeout);
            this.pollTimeout = timeout;
            return this;
        }

        /** @throws IllegalArgumentException on a bad setting (the producer could not be made) */
        public KafkaTransport build() {
            if (bootstrapServers == null)
                throw new IllegalArgumentException("the Kafka transport needs bootstrap servers (for example localhost:9092)");
            Properties producer = new Properties();
            producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            producer.put(ProducerConfig.CLIENT_ID_CONFIG, "annals-transport-" + topic);
            producer.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            producer.putAll(producerProperties);
            for (String[] required : new String[][] {{ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"},
                    {ProducerConfig.ACKS_CONFIG, "all"}}) {
                Object v = producer.get(required[0]);
                if (v != null && !required[1].equalsIgnoreCase(String.valueOf(v).trim())
                        && !(required[1].equals("all") && "-1".equals(String.valueOf(v).trim())))
                    throw new IllegalArgumentException("the Kafka transport needs the producer setting " + required[0]
                            + "=" + required[1] + " (no event may be lost or reordered), not " + v
                            + "; remove that override");
                producer.put(required[0], required[1]);
            }
            Properties consumer = new Properties();
            consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer.putAll(consumerProperties);
            consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            try {
                return new KafkaTransport(topic, new KafkaProducer<>(producer, new ByteArraySerializer(),
                        new ByteArraySerializer()), consumer, pollTimeout);
            } catch (KafkaException e) {
                throw new IllegalArgumentException("cannot make the transport's Kafka producer: " + e.getMessage()
                        + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"), e);
            }
        }
    }
}
