package io.annals.devservers;

import io.annals.devservers.internal.CassandraFiles;
import io.annals.devservers.internal.JavaFinder;
import io.annals.devservers.internal.Net;
import io.annals.devservers.internal.ServerClasspath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real single-node Apache Cassandra 5.0 in a forked JVM, bound to 127.0.0.1 on free ports, with its data, its
 * configuration and its log ({@code logs/cassandra.log}) in a work directory.
 *
 * <pre>{@code
 * try (CassandraNode node = CassandraNode.builder().build().start()) {
 *     CqlSession session = CqlSession.builder()
 *             .addContactPoint(node.contactPoint())
 *             .withLocalDatacenter(node.localDatacenter())
 *             .build();
 * }
 * }</pre>
 *
 * <p>{@link #start()} returns once the node answers CQL requests. The node runs on a Java 17 found on this machine
 * (see the module README), from jars that Maven resolved when this module was built. It cannot outlive the JVM
 * that started it: it exits when its standard input (a pipe from this JVM) closes, and a shutdown hook kills it.
 * Ports are chosen at the first start and kept by {@link #restart()}, so clients can reconnect to the same address.
 *
 * <p>Tests that only need a node should share one with {@link SharedCassandra#get()}; a test that stops or kills
 * its node starts its own. Methods are thread-safe (synchronized); a start takes ~10 s and a stop a few seconds.
 */
public final class CassandraNode implements AutoCloseable {

    /** The one datacenter of the node (SimpleSnitch's name for it). */
    public static final String DATACENTER = "datacenter1";

    private static final String DAEMON = "org.apache.cassandra.service.CassandraDaemon";
    private static final int JAVA_FEATURE = 17;

    private final Builder config;
    /** The node's forked JVM (package-private for {@link SharedCassandra}). */
    final ForkedServer forked;

    private CassandraNode(Builder config) {
        this.config = config;
        this.forked = new Node(config.options);
    }

    /** A builder with the defaults: a fresh work directory under {@code target/}, heap 256 MB to 1 GB. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the node and waits until it answers CQL requests.
     *
     * @return this node
     * @throws IllegalStateException if it is running already
     * @throws DevServerException if it fails to start in time (the message ends with the tail of its log), or if
     *                            no Java 17 or no Cassandra classpath is found
     */
    public CassandraNode start() {
        forked.start();
        return this;
    }

    /** Where clients connect (127.0.0.1 and the native transport port); valid once started. */
    public InetSocketAddress contactPoint() {
        return forked.address();
    }

    /** The local datacenter name clients must give the driver: {@value #DATACENTER}. */
    public String localDatacenter() {
        return DATACENTER;
    }

    /** The CQL port; 0 before the first start unless the builder fixed it. */
    public int nativePort() {
        return forked.port();
    }

    /** The internode (storage) port; 0 before the first start unless the builder fixed it. */
    public int storagePort() {
        return forked.otherPort();
    }

    /** The directory holding data, configuration and log. */
    public Path workDir() {
        return forked.workDir();
    }

    /** The node's log: its standard output and error, appended to across restarts. */
    public Path logFile() {
        return forked.logFile();
    }

    /** Whether the node's process is alive (it may still be starting or stopping). */
    public boolean isRunning() {
        return forked.isRunning();
    }

    /** The process id of the node; valid once started. */
    public long pid() {
        return forked.pid();
    }

    /**
     * Stops the node gracefully: SIGTERM, then SIGKILL if it has not exited within the stop timeout. Does nothing
     * if it is not running. Data stays in the work directory.
     */
    public void stop() {
        forked.stop();
    }

    /** Kills the node at once (SIGKILL), as a crash would; for fault tests. Does nothing if it is not running. */
    public void kill() {
        forked.kill();
    }

    /** Stops the node if it runs, then starts it again on the same ports and data. */
    public CassandraNode restart() {
        forked.restart();
        return this;
    }

    /** Stops the node; then deletes the work directory if the builder asked for that. */
    @Override
    public void close() {
        forked.close();
    }

    /** The last lines of the node's log, for failure messages. */
    public String logTail(int lines) {
        return forked.logTail(lines);
    }

    @Override
    public String toString() {
        return "CassandraNode[" + forked + "]";
    }

    /** What is Cassandra's own in the life of the forked node. */
    private final class Node extends ForkedServer {

        Node(ForkOptions options) {
            super("cassandra", "Cassandra", "node", "storage", "answer CQL", 200, options);
        }

        @Override
        Process launch() throws IOException {
            Path java = JavaFinder.findJava(JAVA_FEATURE);
            List<Path> jars = ServerClasspath.jars("cassandra");
            Path storage = workDir().resolve("data");
            Path logDir = workDir().resolve("logs");
            Files.createDirectories(storage);
            Files.createDirectories(logDir);
            Path yaml = Files.writeString(workDir().resolve("cassandra.yaml"),
                    CassandraFiles.yaml(config.clusterName, storage, port(), otherPort(), config.settings));
            Path logback = Files.writeString(workDir().resolve("logback.xml"), CassandraFiles.logback());
            List<String> serverOptions = new ArrayList<>(CassandraFiles.jvmOptions(yaml, storage, logDir, logback));
            if (config.unsafeSystem) {
                serverOptions.add("-Dcassandra.unsafesystem=true");
            }
            return fork("starting", java, jars, jvmOptions(serverOptions), "jvm.args", DAEMON);
        }

        @Override
        void launched() {
            config.onLaunch.accept(CassandraNode.this);
        }

        @Override
        boolean answers(InetSocketAddress address) {
            return Net.cqlAnswers(address);
        }

        @Override
        boolean autoPickedPortTaken(String log) {
            Matcher storage = Pattern.compile("127\\.0\\.0\\.1:(\\d+) is in use by another process").matcher(log);
            if (storage.find()) {
                int port = Integer.parseInt(storage.group(1));
                return port == otherPort() ? options.otherPort == 0 : options.port == 0;
            }
            return log.contains("Address already in use") && (options.port == 0 || options.otherPort == 0);
        }

        @Override
        boolean isErrorLine(String line) {
            return line.startsWith("ERROR") || line.contains("Exception: ");
        }
    }

    /**
     * Options of a {@link CassandraNode}. Every setting has a default; {@link #build()} may be called at once.
     */
    public static final class Builder {

        private final ForkOptions options;
        private String clusterName = "annals-dev";
        private boolean unsafeSystem;
        private Consumer<CassandraNode> onLaunch = node -> { };
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
            this.options = new ForkOptions("256m", "1g", Duration.ofSeconds(120));
        }

        private Builder(Builder other) {
            this.options = other.options.build("cassandra", "nativePort", "storagePort");
            this.clusterName = other.clusterName;
            this.unsafeSystem = other.unsafeSystem;
            this.onLaunch = other.onLaunch;
            this.settings.putAll(other.settings);
        }

        /**
         * The directory for data, configuration and log (created if absent; existing data is kept). Default: a
         * fresh {@code target/cassandra-<pid>-<n>} in the working directory, deleted by {@link CassandraNode#close()}.
         */
        public Builder workDir(Path dir) {
            options.workDir(dir);
            return this;
        }

        /** Whether {@link CassandraNode#close()} deletes the work directory (default: only for the default one). */
        public Builder deleteWorkDirOnClose(boolean delete) {
            options.deleteWorkDirOnClose = delete;
            return this;
        }

        /** Heap bounds in JVM syntax (default {@code 256m} and {@code 1g}; keep the minimum small: as root the node
         * locks all its memory). */
        public Builder heap(String min, String max) {
            options.heap(min, max);
            return this;
        }

        /** Commit log synced every {@code period} ({@code commitlog_sync: periodic}, default 10 s). */
        public Builder commitlogSyncPeriod(Duration period) {
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("the commit log sync period must be positive, was " + period);
            }
            settings.put("commitlog_sync", "periodic");
            settings.put("commitlog_sync_period", period.toMillis() + "ms");
            return this;
        }

        /** Commit log synced before each write is acknowledged ({@code commitlog_sync: batch}). */
        public Builder commitlogSyncBatch() {
            settings.put("commitlog_sync", "batch");
            return this;
        }

        /**
         * Sets a top-level {@code cassandra.yaml} key to a YAML value, replacing the default, e.g.
         * {@code setting("concurrent_writes", "64")} or {@code setting("commitlog_segment_size", "16MiB")}.
         */
        public Builder setting(String key, String yamlValue) {
            settings.put(ForkOptions.requireNonNull(key, "key"), ForkOptions.requireNonNull(yamlValue, "yamlValue"));
            return this;
        }

        /** Adds a JVM option (after the defaults, so it can override them), e.g. {@code -Dcassandra.ring_delay_ms=0}. */
        public Builder jvmOption(String option) {
            options.jvmOption(option);
            return this;
        }

        /** The CQL port (default: a free one chosen at the first start). */
        public Builder nativePort(int port) {
            options.port = ForkOptions.requirePort(port);
            return this;
        }

        /** The internode port (default: a free one chosen at the first start). */
        public Builder storagePort(int port) {
            options.otherPort = ForkOptions.requirePort(port);
            return this;
        }

        /** The cluster name in {@code cassandra.yaml} (default {@code annals-dev}); it must not change across restarts. */
        public Builder clusterName(String name) {
            this.clusterName = ForkOptions.requireNonNull(name, "name");
            return this;
        }

        /** How long {@link CassandraNode#start()} waits for CQL (default 120 s). */
        public Builder startTimeout(Duration timeout) {
            options.startTimeout(timeout);
            return this;
        }

        /** How long {@link CassandraNode#stop()} waits after SIGTERM before SIGKILL (default 30 s). */
        public Builder stopTimeout(Duration timeout) {
            options.stopTimeout(timeout);
            return this;
        }

        /**
         * Whether writes to system tables skip the commit log ({@code -Dcassandra.unsafesystem=true}), which
         * makes schema changes faster. Default false. Only for a node that is never killed: after a SIGKILL such a
         * node has lost the keyspaces and tables created since its last flush. {@link SharedCassandra} turns it on.
         */
        public Builder unsafeSystem(boolean enabled) {
            this.unsafeSystem = enabled;
            return this;
        }

        /** A node that outlives this JVM (no stdin watch, no shutdown hook); for {@link DevCassandra}. */
        Builder detached(boolean detached) {
            options.detached = detached;
            return this;
        }

        /** Called right after the process is launched, before waiting for CQL (ports and pid are known). */
        Builder onLaunch(Consumer<CassandraNode> action) {
            this.onLaunch = ForkOptions.requireNonNull(action, "action");
            return this;
        }

        /** Creates the node (not started). */
        public CassandraNode build() {
            return new CassandraNode(new Builder(this));
        }
    }
}
