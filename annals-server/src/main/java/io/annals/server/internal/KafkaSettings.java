package io.annals.server.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.annals.core.api.EventStore;
import io.annals.kafka.api.KafkaIngest;
import io.annals.kafka.api.KafkaRelay;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code annals.kafka}: the outbox relay and the ingest, both off by default. See docs/kafka.md.
 * {@link #start} starts what is enabled; the server closes it before it closes the store.
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> producer, Map<String, String> consumer,
                            boolean relay, String relayName, String topic, Map<String, String> topicsByType,
                            List<String> ingestTopics, String ingestGroup, String deadLetterTopic) {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSettings.class);
    private static final Set<String> KNOWN = Set.of("bootstrap-servers", "relay.enabled", "relay.name", "relay.topic",
            "ingest.topics", "ingest.group", "ingest.dead-letter-topic");

    /** Reads and checks {@code annals.kafka} of {@code root}. */
    public static KafkaSettings from(Config root) {
        try {
            Config c = root.getConfig("annals.kafka");
            for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
                String key = e.getKey();
                if (KNOWN.contains(key) || key.startsWith("producer.") || key.startsWith("consumer.")
                        || key.startsWith("relay.topics.")) continue;
                throw new IllegalArgumentException("unknown configuration key annals.kafka." + key
                        + "; docs/configuration.md lists the keys (Kafka client settings go under annals.kafka.producer"
                        + " or annals.kafka.consumer)");
            }
            KafkaSettings s = new KafkaSettings(c.getString("bootstrap-servers").trim(), flat(c, "producer"),
                    flat(c, "consumer"), c.getBoolean("relay.enabled"), c.getString("relay.name"),
                    c.getString("relay.topic"), flat(c, "relay.topics"), c.getStringList("ingest.topics"),
                    c.getString("ingest.group"), c.getString("ingest.dead-letter-topic"));
            if ((s.relay || !s.ingestTopics.isEmpty()) && s.bootstrapServers.isEmpty())
                throw new IllegalArgumentException("annals.kafka.bootstrap-servers must name the brokers (host:port,...)"
                        + " when annals.kafka.relay.enabled is true or annals.kafka.ingest.topics is not empty");
            return s;
        } catch (ConfigException e) {
            throw new IllegalArgumentException("bad configuration: " + e.getMessage(), e);
        }
    }

    /** The keys under {@code path} as Kafka names them ({@code linger.ms} whether written nested or quoted). */
    private static Map<String, String> flat(Config c, String path) {
        Map<String, String> out = new TreeMap<>();
        if (!c.hasPath(path)) return out;
        for (Map.Entry<String, ConfigValue> e : c.getConfig(path).entrySet()) {
            Object raw = e.getValue().unwrapped();
            out.put(String.join(".", ConfigUtil.splitPath(e.getKey())),
                    raw instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(raw));
        }
        return out;
    }

    /** Starts the relay and the ingest if configured; what it returns stops them. Bad settings fail here. */
    public AutoCloseable start(EventStore store, MeterRegistry registry) {
        KafkaRelay r = null;
        KafkaIngest i = null;
        try {
            if (relay) {
                KafkaRelay.Builder b = KafkaRelay.builder(store).name(relayName).bootstrapServers(bootstrapServers)
                        .topic(topic).producerProperties(producer).meterRegistry(registry);
                topicsByType.forEach(b::topicForType);
                r = b.start();
                LOG.info("kafka relay '{}' publishes to {} on {}", relayName, topic, bootstrapServers);
            }
            if (!ingestTopics.isEmpty()) {
                i = KafkaIngest.builder(store).bootstrapServers(bootstrapServers).topics(ingestTopics).group(ingestGroup)
                        .deadLetterTopic(deadLetterTopic).consumerProperties(consumer).producerProperties(producer)
                        .meterRegistry(registry).start();
                LOG.info("kafka ingest '{}' consumes {} from {}", ingestGroup, ingestTopics, bootstrapServers);
            }
        } catch (RuntimeException e) {
            if (r != null) r.close();
            String what = e instanceof UnsupportedOperationException
                    ? "the store keeps no checkpoints or key-values, which the relay needs (" + e.getMessage() + ")" : e.getMessage();
            throw new IllegalArgumentException("annals.kafka: " + what, e);
        }
        KafkaRelay startedRelay = r;
        KafkaIngest startedIngest = i;
        return () -> {
            // the ingest first: it may still be appending
            if (startedIngest != null) startedIngest.close();
            if (startedRelay != null) startedRelay.close();
        };
    }
}
