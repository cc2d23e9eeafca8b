package io.annals.devservers.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configuration files and JVM options of a forked single-node Cassandra 5.0. */
public final class CassandraFiles {

    /**
     * Module flags for Java 17, from Cassandra 5.0's {@code conf/jvm17-server.options} (JPMS and Netty sections).
     * Without them start-up fails with "Cassandra is unable to access required classes".
     */
    public static final List<String> JAVA17_OPTIONS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.allocator.useCacheForAllThreads=true",
            "-Dio.netty.allocator.maxOrder=11");

    /** G1 settings from the same file, and the general ones of {@code conf/jvm-server.options} that matter here. */
    public static final List<String> GC_OPTIONS = List.of(
            "-XX:+UseG1GC",
            "-XX:+ParallelRefProcEnabled",
            "-XX:MaxTenuringThreshold=1",
            "-XX:G1HeapRegionSize=16m",
            "-XX:G1RSetUpdatingPauseTimePercent=5",
            "-XX:MaxGCPauseMillis=300",
            "-XX:InitiatingHeapOccupancyPercent=70",
            "-Xss256k",
            "-XX:+PerfDisableSharedMem",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.net.preferIPv4Stack=true");

    private CassandraFiles() {
    }

    /**
     * A minimal single-node {@code cassandra.yaml}: loopback only, one token, SimpleSnitch (local datacenter
     * {@code datacenter1}), everything stored under {@code storage}. {@code overrides} (top-level keys with YAML
     * values) replace or extend the defaults.
     */
    public static String yaml(String clusterName, Path storage, int nativePort, int storagePort,
                              Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("cluster_name", quote(clusterName));
        settings.put("num_tokens", "1");
        settings.put("partitioner", "org.apache.cassandra.dht.Murmur3Partitioner");
        settings.put("endpoint_snitch", "SimpleSnitch");
        settings.put("listen_address", "127.0.0.1");
        settings.put("rpc_address", "127.0.0.1");
        settings.put("storage_port", Integer.toString(storagePort));
        settings.put("native_transport_port", Integer.toString(nativePort));
        settings.put("start_native_transport", "true");
        settings.put("commitlog_sync", "periodic");
        settings.put("commitlog_sync_period", "10000ms");
        settings.put("commitlog_directory", quote(storage.resolve("commitlog").toString()));
        settings.put("saved_caches_directory", quote(storage.resolve("saved_caches").toString()));
        settings.put("hints_directory", quote(storage.resolve("hints").toString()));
        settings.put("cdc_raw_directory", quote(storage.resolve("cdc_raw").toString()));
        settings.put("auto_snapshot", "false");
        settings.put("snapshot_before_compaction", "false");
        settings.putAll(overrides);
        if (!"periodic".equals(settings.get("commitlog_sync"))) {
            settings.remove("commitlog_sync_period");
        }

        StringBuilder yaml = new StringBuilder("# Written by annals-devservers; rewritten at every start.\n");
        settings.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        yaml.append("data_file_directories:\n  - ").append(quote(storage.resolve("data").toString())).append('\n');
        yaml.append("seed_provider:\n")
                .append("  - class_name: org.apache.cassandra.locator.SimpleSeedProvider\n")
                .append("    parameters:\n")
                .append("      - seeds: \"127.0.0.1:").append(storagePort).append("\"\n");
        return yaml.toString();
    }

    /** Logback configuration: INFO and above to standard output, which the launcher sends to a file. */
    public static String logback() {
        return """
                <configuration scan="false">
                  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="STDOUT"/></root>
                </configuration>
                """;
    }

    /** All JVM options except heap, classpath and main class. */
    public static List<String> jvmOptions(Path yaml, Path storage, Path logDir, Path logback) {
        List<String> options = new ArrayList<>(GC_OPTIONS);
        options.addAll(JAVA17_OPTIONS);
        options.add("-Dcassandra.config=" + yaml.toUri());
        options.add("-Dcassandra.storagedir=" + storage);
        options.add("-Dcassandra.logdir=" + logDir);
        options.add("-Dlogback.configurationFile=" + logback.toUri());
        options.add("-Dcassandra-foreground=yes");
        // A single node has nobody to gossip with; waiting for gossip to settle only delays the CQL port.
        options.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
        // ... and nobody to announce a shutdown to (the default waits 2 s for that).
        options.add("-Dcassandra.shutdown_announce_in_ms=0");
        return options;
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
