package io.annals.devservers.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The configuration files and JVM options of a forked single-node Kafka broker in KRaft mode. */
public final class KafkaFiles {

    /** Kafka's own defaults from {@code bin/kafka-run-class.sh}, plus exit on out-of-memory. */
    public static final List<String> GC_OPTIONS = List.of(
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true",
            "-Djava.net.preferIPv4Stack=true");

    private KafkaFiles() {
    }

    /**
     * {@code server.properties} of a node that is broker and controller at once, node id 1, listening on
     * 127.0.0.1 only. Every replication factor and minimum ISR is 1, topics are created on first use, a consumer
     * group's first rebalance does not wait, and records are kept forever (see {@link #defaults}). {@code overrides}
     * replace or extend the defaults.
     */
    public static String serverProperties(int brokerPort, int controllerPort, Path logDir, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", "1");
        settings.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        settings.put("log.dirs", logDir.toString());
        settings.putAll(defaults());
        settings.putAll(overrides);

        StringBuilder text = new StringBuilder("# Written by annals-devservers; rewritten at every start.\n");
        settings.forEach((key, value) -> text.append(escape(key, true)).append('=').append(escape(value, false)).append('\n'));
        return text.toString();
    }

    /** The single-node defaults that differ from Kafka's own. */
    public static Map<String, String> defaults() {
        Map<String, String> settings = new LinkedHashMap<>();
        // One node: every internal topic and every new topic has one replica, and one in-sync replica is enough
        // for acks=all.
        settings.put("default.replication.factor", "1");
        settings.put("min.insync.replicas", "1");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        // 5 partitions instead of 50 for each internal topic: created faster, enough for a test or a laptop.
        settings.put("offsets.topic.num.partitions", "5");
        settings.put("transaction.state.log.num.partitions", "5");
        settings.put("share.coordinator.state.topic.num.partitions", "5");
        settings.put("num.partitions", "1");
        settings.put("auto.create.topics.enable", "true");
        settings.put("group.initial.rebalance.delay.ms", "0");
        // Small segments: quick recovery after a kill (only the unflushed tail is scanned) and little disk for
        // the pre-allocated index files of each partition.
        settings.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        // Records are never deleted for age: time retention looks at record timestamps, and events carry their
        // own (possibly old) times, so a test checking that every event reached the topic could lose some.
        settings.put("log.retention.ms", "-1");
        settings.put("log.retention.bytes", "-1");
        return settings;
    }

    /** Log4j 2 configuration: INFO and above to standard output (which the launcher sends to a file), config dumps at WARN. */
    public static String log4j2() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="WARN">
                  <Appenders>
                    <Console name="STDOUT" target="SYSTEM_OUT">
                      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
                    </Console>
                  </Appenders>
                  <Loggers>
                    <!-- Every component prints its whole configuration at INFO; server.properties says it once. -->
                    <Logger name="org.apache.kafka.common.config.AbstractConfig" level="WARN"/>
                    <Logger name="kafka.server.KafkaConfig" level="WARN"/>
                    <Root level="INFO"><AppenderRef ref="STDOUT"/></Root>
                  </Loggers>
                </Configuration>
                """;
    }

    /** All JVM options of the broker except heap, classpath and main class. */
    public static List<String> jvmOptions(Path log4j2, Path logDir) {
        List<String> options = new ArrayList<>(GC_OPTIONS);
        options.addAll(logOptions(log4j2, logDir));
        return options;
    }

    /** The JVM options of a short-lived tool (the storage format): no optimizing compiler, a small serial heap. */
    public static List<String> toolJvmOptions(Path log4j2, Path logDir) {
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        options.addAll(logOptions(log4j2, logDir));
        return options;
    }

    private static List<String> logOptions(Path log4j2, Path logDir) {
        return List.of("-Dlog4j2.configurationFile=" + log4j2.toUri(), "-Dkafka.logs.dir=" + logDir);
    }

    /**
     * A new cluster id in Kafka's format: 16 random bytes, URL-safe Base64 without padding, never starting with
     * {@code -} (it would read as an option on the format tool's command line).
     */
    public static String newClusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            byte[] bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits()).array();
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    /** Escapes a key or value for a {@code .properties} file (backslashes in Windows paths, leading blanks...). */
    private static String escape(String text, boolean key) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '=', ':', '#', '!' -> out.append(key ? "\\" + c : String.valueOf(c));
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
