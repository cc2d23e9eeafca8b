package io.annals.devservers;

import io.annals.devservers.internal.ChildReaper;
import io.annals.devservers.internal.KafkaFiles;
import io.annals.devservers.internal.Net;
import io.annals.devservers.internal.ServerClasspath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real single-node Apache Kafka broker (KRaft mode: broker and controller in one process) in a forked JVM, bound
 * to 127.0.0.1 on free ports, with its data, its configuration and its log ({@code logs/kafka.log}) in a work
 * directory.
 *
 * <pre>{@code
 * try (KafkaNode kafka = KafkaNode.builder().build().start()) {
 *     Properties config = new Properties();
 *     config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #start()} formats the storage on the first start, launches the broker and returns once it serves
 * requests (it answers a Metadata request and lists itself). The broker runs on the Java running this code, from
 * jars that Maven resolved when this module was built. It cannot outlive the JVM that started it: it exits when its
 * standard input (a pipe from this JVM) closes, and a shutdown hook kills it. Ports are chosen at the first start
 * and kept by {@link #restart()}, so clients reconnect to the same address.
 *
 * <p>Tests that only need a broker share one with {@link SharedKafka#get()}; a test that stops or kills its broker
 * starts its own. Methods are thread-safe (synchronized); a first start takes ~5-10 s, a stop ~2 s.
 */
public final class KafkaNode implements AutoCloseable {

    private static final String MAIN = "kafka.Kafka";
    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";

    private final Builder config;
    /** The broker's forked JVM (package-private for {@link SharedKafka}). */
    final ForkedServer forked;

    private KafkaNode(Builder config) {
        this.config = config;
        this.forked = new Broker(config.options);
    }

    /** A builder with the defaults: a fresh work directory under {@code target/}, heap 128 MB to 512 MB. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the broker (formatting its storage first if it has none) and waits until it serves requests.
     *
     * @return this node
     * @throws IllegalStateException if it is running already
     * @throws DevServerException if it fails to start in time (the message ends with the tail of its log), or if
     *                            the Kafka classpath is missing
     */
    public KafkaNode start() {
        forked.start();
        return this;
    }

    /** Where clients connect, {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}; valid once started. */
    public String bootstrapServers() {
        return "127.0.0.1:" + address().getPort();
    }

    /** The broker's address (127.0.0.1 and the broker port); valid once started. */
    public InetSocketAddress address() {
        return forked.address();
    }

    /** The broker (client) port; 0 before the first start unless the builder fixed it. */
    public int brokerPort() {
        return forked.port();
    }

    /** The KRaft controller port; 0 before the first start unless the builder fixed it. */
    public int controllerPort() {
        return forked.otherPort();
    }

    /** The directory holding data, configuration and log. */
    public Path workDir() {
        return forked.workDir();
    }

    /** The broker's log: its standard output and error (and the format tool's), appended to across restarts. */
    public Path logFile() {
        return forked.logFile();
    }

    /** Whether the broker's process is alive (it may still be starting or stopping). */
    public boolean isRunning() {
        return forked.isRunning();
    }

    /** The process id of the broker; valid once started. */
    public long pid() {
        return forked.pid();
    }

    /**
     * Stops the broker gracefully: SIGTERM, then SIGKILL if it has not exited within the stop timeout. Does nothing
     * if it is not running. Data stays in the work directory.
     */
    public void stop() {
        forked.stop();
    }

    /** Kills the broker at once (SIGKILL), as a crash would; for fault tests. Does nothing if it is not running. */
    public void kill() {
        forked.kill();
    }

    /** Stops the broker if it runs, then starts it again on the same ports and data. */
    public KafkaNode restart() {
        forked.restart();
        return this;
    }

    /** Stops the broker; then deletes the work directory if the builder asked for that. */
    @Override
    public void close() {
        forked.close();
    }

    /** The last lines of the broker's log, for failure messages. */
    public String logTail(int lines) {
        return forked.logTail(lines);
    }

    @Override
    public String toString() {
        return "KafkaNode[" + forked + "]";
    }

    /** The running JVM's {@code java}: Kafka 4 runs on Java 17 and later. */
    private static Path javaBinary() {
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    }

    /** What is Kafka's own in the life of the forked broker. */
    private final class Broker extends ForkedServer {

        Broker(ForkOptions options) {
            super("kafka", "Kafka", "broker", "controller", "answer", 100, options);
        }

        @Override
        Process launch() throws IOException {
            // Checked before launching: another broker holding a fixed port would answer the readiness probe
            // in place of this one, which only fails to bind a moment later.
            requireFree(port(), "broker");
            requireFree(otherPort(), "controller");
            List<Path> jars = ServerClasspath.jars("kafka");
            Files.createDirectories(workDir().resolve("logs"));
            Files.createDirectories(dataDir());
            Files.writeString(workDir().resolve("server.properties"),
                    KafkaFiles.serverProperties(port(), otherPort(), dataDir(), config.properties));
            Path log4j2 = Files.writeString(workDir().resolve("log4j2.xml"), KafkaFiles.log4j2());
            formatStorageOnce(jars, log4j2);
            return fork("starting", javaBinary(), jars,
                    jvmOptions(KafkaFiles.jvmOptions(log4j2, workDir().resolve("logs"))), "jvm.args",
                    MAIN, workDir().resolve("server.properties").toString());
        }

        private void requireFree(int port, String role) {
            if (!Net.isFree(port)) {
                throw new DevServerException("the " + role + " port 127.0.0.1:" + port + " of Kafka in " + workDir()
                        + " is taken by another process; stop that process or choose another port");
            }
        }

        /** KRaft needs formatted storage (cluster id, bootstrap metadata); formatting again would be refused. */
        private void formatStorageOnce(List<Path> jars, Path log4j2) throws IOException {
            if (Files.exists(dataDir().resolve("meta.properties"))) {
                return;
            }
            Process format = fork("formatting storage with", javaBinary(), jars,
                    KafkaFiles.toolJvmOptions(log4j2, workDir().resolve("logs")), "tool-jvm.args", STORAGE_TOOL,
                    "format", "--cluster-id", KafkaFiles.newClusterId(),
                    "--config", workDir().resolve("server.properties").toString(), "--ignore-formatted");
            try {
                if (!format.waitFor(options.startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    format.destroyForcibly();
                    throw new DevServerException("formatting Kafka's storage in " + dataDir() + " took longer than "
                            + options.startTimeout.toSeconds() + " s (killed it); the end of " + logFile() + ":\n"
                            + logTail(40));
                }
            } catch (InterruptedException e) {
                format.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new DevServerException("interrupted while formatting Kafka's storage", e);
            } finally {
                ChildReaper.forget(format.toHandle());
            }
            if (format.exitValue() != 0) {
                throw new DevServerException("formatting Kafka's storage in " + dataDir() + " failed with exit code "
                        + format.exitValue() + "; the end of " + logFile() + ":\n" + logTail(40));
            }
        }

        private Path dataDir() {
            return workDir().resolve("data");
        }

        @Override
        void launched() {
            config.onLaunch.accept(KafkaNode.this);
        }

        @Override
        boolean answers(InetSocketAddress address) {
            return Net.kafkaAnswers(address);
        }

        @Override
        boolean autoPickedPortTaken(String log) {
            return log.contains("Address already in use");
        }

        @Override
        boolean isErrorLine(String line) {
            return line.contains("] ERROR ") || line.contains("Exception: ");
        }
    }

    /** Options of a {@link KafkaNode}. Every setting has a default; {@link #build()} may be called at once. */
    public static final class Builder {

        private final ForkOptions options;
        private Consumer<KafkaNode> onLaunch = node -> { };
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
            this.options = new ForkOptions("128m", "512m", Duration.ofSeconds(90));
        }

        private Builder(Builder other) {
            this.options = other.options.build("kafka", "brokerPort", "controllerPort");
            this.onLaunch = other.onLaunch;
            this.properties.putAll(other.properties);
        }

        /**
         * The directory for data, configuration and log (created if absent; existing data is kept). Default: a
         * fresh {@code target/kafka-<pid>-<n>} in the working directory, deleted by {@link KafkaNode#close()}.
         */
        public Builder workDir(Path dir) {
            options.workDir(dir);
            return this;
        }

        /** Whether {@link KafkaNode#close()} deletes the work directory (default: only for the default one). */
        public Builder deleteWorkDirOnClose(boolean delete) {
            options.deleteWorkDirOnClose = delete;
            return this;
        }

        /** Heap bounds in JVM syntax (default {@code 128m} and {@code 512m}). */
        public Builder heap(String min, String max) {
            options.heap(min, max);
            return this;
        }

        /**
         * Sets a broker property ({@code server.properties}), replacing the default, e.g.
         * {@code property("num.partitions", "4")} or {@code property("auto.create.topics.enable", "false")}.
         * The listeners, node id and roles can be changed too, at your own risk.
         */
        public Builder property(String key, String value) {
            properties.put(ForkOptions.requireNonNull(key, "key"), ForkOptions.requireNonNull(value, "value"));
            return this;
        }

        /** Adds a JVM option of the broker (after the defaults, so it can override them). */
        public Builder jvmOption(String option) {
            options.jvmOption(option);
            return this;
        }

        /** The broker (client) port (default: a free one chosen at the first start). */
        public Builder brokerPort(int port) {
            options.port = ForkOptions.requirePort(port);
            return this;
        }

        /** The KRaft controller port (default: a free one chosen at the first start). */
        public Builder controllerPort(int port) {
            options.otherPort = ForkOptions.requirePort(port);
            return this;
        }

        /** How long {@link KafkaNode#start()} waits for the broker (default 90 s). */
        public Builder startTimeout(Duration timeout) {
            options.startTimeout(timeout);
            return this;
        }

        /** How long {@link KafkaNode#stop()} waits after SIGTERM before SIGKILL (default 30 s). */
        public Builder stopTimeout(Duration timeout) {
            options.stopTimeout(timeout);
            return this;
        }

        /** A broker that outlives this JVM (no stdin watch, no shutdown hook); for {@link DevKafka}. */
        Builder detached(boolean detached) {
            options.detached = detached;
            return this;
        }

        /** Called right after the broker is launched, before waiting for it (ports and pid are known). */
        Builder onLaunch(Consumer<KafkaNode> action) {
            this.onLaunch = ForkOptions.requireNonNull(action, "action");
            return this;
        }

        /** Creates the node (not started). */
        public KafkaNode build() {
            return new KafkaNode(new Builder(this));
        }
    }
}
