package io.annals.kafka.api;

import io.annals.core.api.EventStore;
import io.annals.core.api.Position;
import io.annals.kafka.internal.Backoff;
import io.annals.kafka.internal.RelayLoop;
import io.annals.kafka.internal.TopicRouter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The outbox relay: publishes every event of a store's global log to Kafka, at least once, in log order.
 * <pre>{@code
 * try (KafkaRelay relay = KafkaRelay.builder(store).bootstrapServers("localhost:9092").topic("events.{type}").start()) {
 *     ... // appends to the store reach Kafka while the relay runs
 * }
 * }</pre>
 * <ul>
 *   <li>Each event is one record in the CloudEvents Kafka binding, binary mode ({@code ce_*} headers, the payload as
 *       the value), keyed by {@code aggregateType/aggregateId} (the event id when it has no aggregate), so that
 *       each aggregate's events stay in one partition in log order.</li>
 *   <li>The relay's place in the log is the checkpoint {@code relay/<name>} of {@link EventStore#checkpoints()}.
 *       It moves past an event only when Kafka (idempotent producer, {@code acks=all}) has acknowledged it and
 *       every event before it. After a crash or a failed send the relay starts again from that place: events may
 *       be published twice (consumers dedupe by {@code ce_id}), never skipped.</li>
 *   <li>While Kafka is unreachable the relay retries with back-off; appends to the store go on unaffected and are
 *       published when Kafka is back.</li>
 *   <li>Of the relays of one name on one store (in one process or several), one publishes at a time: it holds the
 *       lease {@code lease} in the space {@code relay:<name>} of {@link EventStore#keyValues()}, renewed every third
 *       of its {@linkplain Builder#leaseTtl time to live}. The others wait ({@link #isPublishing()} false) and take
 *       over from the checkpoint when it closes (at once: it gives the lease up) or dies (when the lease runs out).
 *       A relay that cannot renew in time stops publishing before its lease can pass to another.</li>
 * </ul>
 * Three threads per relay: one sends, one reads the log ahead of it, one keeps the lease. Thread-safe.
 */
public final class KafkaRelay implements AutoCloseable {
    private final RelayLoop loop;
    private final Thread thread;
    private final String checkpointName;
    private final Duration closeTimeout;

    private KafkaRelay(RelayLoop loop, String name, String checkpointName, Duration closeTimeout) {
        this.loop = loop;
        this.closeTimeout = closeTimeout;
        this.checkpointName = checkpointName;
        this.thread = new Thread(loop, "annals-kafka-relay-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    public static Builder builder(EventStore store) {
        return new Builder(store);
    }

    /** The name of the checkpoint this relay keeps in the store: {@code relay/<name>}. */
    public String checkpointName() {
        return checkpointName;
    }

    /** Every event up to this position has been acknowledged by Kafka (null until the relay read its checkpoint). */
    public Position acknowledged() {
        return loop.acknowledged();
    }

    /** Whether this relay holds its lease and publishes; false while another relay of its name does, or after close. */
    public boolean isPublishing() {
        return loop.isPublishing();
    }

    /** Events read from the log and not yet acknowledged by Kafka. */
    public int inFlight() {
        return loop.depth();
    }

    /**
     * Stops the relay: it waits up to the close timeout for the sends in flight, stores its checkpoint, closes
     * its producer and gives its lease up. Events sent and not acknowledged by then are sent again by the next relay
     * of this name.
     */
    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(closeTimeout.toMillis() + 2000);
            if (thread.isAlive()) {
                // stuck in a send that waits for an unreachable Kafka (max.block.ms): close the producer under it
                loop.abort();
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings of a relay; {@link #bootstrapServers} is required. Setters fail at once on bad values. */
    public static final class Builder {
        private final EventStore store;
        private String name = "default";
        private String bootstrapServers;
        private String topic = "annals.events";
        private final Map<String, String> topicsByType = new LinkedHashMap<>();
        private final Map<String, String> producerProperties = new LinkedHashMap<>();
        private int pageSize = 500;
        private int maxInFlight = 20_000;
        private Duration pollInterval = Duration.ofMillis(20);
        private Duration checkpointInterval = Duration.ofMillis(200);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration leaseTtl = Duration.ofSeconds(10);
        private MeterRegistry registry;

        private Builder(EventStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Names the relay and its checkpoint ({@code relay/<name>}); default {@code default}. */
        public Builder name(String name) {
            if (name == null || name.isEmpty() || name.length() > 200)
                throw new IllegalArgumentException("a relay name must be 1 to 200 characters, not '" + name + "'");
            this.name = name;
            return this;
        }

        /** Kafka's {@code bootstrap.servers}, for example {@code localhost:9092}. Required. */
        public Builder bootstrapServers(String servers) {
            if (servers == null || servers.isBlank())
                throw new IllegalArgumentException("bootstrap servers must name at least one host:port");
            this.bootstrapServers = servers;
            return this;
        }

        /**
         * The topic of every event whose type {@link #topicForType} does not name; {@code {type}} in it is replaced by
         * the event type (characters not allowed in topic names become '_'). Default {@code annals.events}.
         */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** Publishes events of {@code type} to {@code topic} instead. */
        public Builder topicForType(String type, String topic) {
            TopicRouter.checkTopic(topic, "topic of type " + type);
            topicsByType.put(Objects.requireNonNull(type, "type"), topic);
            return this;
        }

        /**
         * A producer setting (for example {@code linger.ms}, {@code compression.type}, security settings). The relay
         * sets {@code enable.idempotence=true} and {@code acks=all} and refuses settings that contradict them.
         */
        public Builder producerProperty(String key, String value) {
            producerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
            return this;
        }

        public Builder producerProperties(Map<String, String> properties) {
            properties.forEach(this::producerProperty);
            return this;
        }

        /** Events read from the log at a time (1-10000, default 500). */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > 10_000) throw new IllegalArgumentException("page size must be 1 to 10000, not " + pageSize);
            this.pageSize = pageSize;
            return this;
        }

        /** Events sent and not yet acknowledged, at most (default 20000); bounds the relay's memory. */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 1) throw new IllegalArgumentException("max in flight must be at least 1, not " + maxInFlight);
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** How often an idle relay looks for new events in the log (default 20 ms). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = positive(interval, "poll interval");
            return this;
        }

        /** How often, at most, the relay stores its checkpoint (default 200 ms); a crash repeats at most this much. */
        public Builder checkpointInterval(Duration interval) {
            this.checkpointInterval = Objects.requireNonNull(interval, "checkpoint interval");
            return this;
        }

        /** How long {@link #close()} waits for sends in flight (default 5 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "close timeout");
            return this;
        }

        /** Back-off between retries after a failure, doubling from {@code min} to {@code max} (default 100 ms to 10 s). */
        public Builder backoff(Duration min, Duration max) {
            new Backoff(min, max);
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        /**
         * How long the relay's lease lasts unless renewed (default 10 s; whole seconds, at least 1 s): how long a
         * relay of this name that died keeps the others waiting. The relay renews it every third of it and stops
         * publishing when a third is left unrenewed.
         */
        public Builder leaseTtl(Duration ttl) {
            if (ttl == null || ttl.toSeconds() < 1 || ttl.toNanos() % 1_000_000_000L != 0)
                throw new IllegalArgumentException("a relay's lease time to live must be whole seconds, at least 1 s, not "
                        + ttl);
            this.leaseTtl = ttl;
            return this;
        }

        /** Where the relay's meters go (see docs/kafka.md); none by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Starts the relay on its own thread.
         * @throws IllegalArgumentException on a bad setting (the producer could not be made)
         * @throws UnsupportedOperationException when the store keeps no checkpoints or no key-values (for the lease)
         */
        public KafkaRelay start() {
            if (bootstrapServers == null)
                throw new IllegalArgumentException("the relay needs bootstrap servers (for example localhost:9092)");
            TopicRouter router = new TopicRouter(topic, topicsByType);
            store.checkpoints(); // fails now, not on the relay's thread, when the store keeps none
            store.keyValues();
            Properties props = producerProperties(name, bootstrapServers, producerProperties);
            Producer<byte[], byte[]> first;
            try {
                first = new KafkaProducer<>(props);
            } catch (org.apache.kafka.common.KafkaException e) {
                throw new IllegalArgumentException("cannot make the relay's Kafka producer: " + e.getMessage()
                        + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"), e);
            }
            String checkpoint = "relay/" + name;
            RelayLoop.Config config = new RelayLoop.Config(name, checkpoint, router, pageSize, maxInFlight, pollInterval,
                    checkpointInterval, closeTimeout, new Backoff(minBackoff, maxBackoff), leaseTtl, Clock.systemUTC());
            return new KafkaRelay(new RelayLoop(store, config, first, () -> new KafkaProducer<>(props), registry),
                    name, checkpoint, closeTimeout);
        }

        static Properties producerProperties(String name, String servers, Map<String, String> overrides) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "annals-relay-" + name);
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
            p.putAll(overrides);
            requireSetting(p, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            requireSetting(p, ProducerConfig.ACKS_CONFIG, "all", "-1");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            return p;
        }

        private static void requireSetting(Properties p, String key, String... allowed) {
            Object v = p.get(key);
            if (v != null && !java.util.Arrays.asList(allowed).contains(String.valueOf(v).trim().toLowerCase()))
                throw new IllegalArgumentException("the relay needs the producer setting " + key + "=" + allowed[0]
                        + " (no event may be lost or reordered), not " + v + "; remove that override");
            p.put(key, allowed[0]);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, not " + d);
            return d;
        }
    }
}
