package io.annals.devservers;

import io.annals.devservers.internal.ChildMain;
import io.annals.devservers.internal.ChildReaper;
import io.annals.devservers.internal.KafkaFiles;
import io.annals.devservers.internal.Net;
import io.annals.devservers.internal.ServerClasspath;
import io.annals.devservers.internal.WorkDirs;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

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
    private static final String LAUNCH_MARKER = "=== annals-devservers: ";

    private final Builder config;
    private final Path workDir;
    private int brokerPort;
    private int controllerPort;
    private Process process;
    private boolean portsSettled;

    private KafkaNode(Builder config) {
        this.config = config;
        this.workDir = config.workDir.toAbsolutePath().normalize();
        this.brokerPort = config.brokerPort;
        this.controllerPort = config.controllerPort;
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
    public synchronized KafkaNode start() {
        if (isRunning()) {
            throw new IllegalStateException("Kafka is running already (pid " + process.pid() + ")");
        }
        List<Path> jars = ServerClasspath.jars("kafka");
        // Free ports are picked before the broker binds them, so another process may take one in between: then
        // pick again, unless the ports are fixed (by the builder, or by an earlier start that clients rely on).
        boolean mayRepick = !portsSettled && (config.brokerPort == 0 || config.controllerPort == 0);
        for (int attempt = 1; ; attempt++) {
            if (brokerPort == 0) {
                brokerPort = Net.freePortOtherThan(controllerPort);
            }
            if (controllerPort == 0) {
                controllerPort = Net.freePortOtherThan(brokerPort);
            }
            // Checked before launching: another broker holding a fixed port would answer the readiness probe
            // in place of this one, which only fails to bind a moment later.
            requireFree(brokerPort, "broker");
            requireFree(controllerPort, "controller");
            try {
                writeConfiguration();
                formatStorageOnce(jars);
                process = launch(jars, MAIN, workDir.resolve("server.properties").toString());
            } catch (IOException e) {
                throw new DevServerException("could not start Kafka in " + workDir + ": " + e, e);
            }
            config.onLaunch.accept(this);
            try {
                awaitBroker();
                portsSettled = true;
                return this;
            } catch (DevServerException e) {
                if (!mayRepick || attempt == 3 || process.isAlive() || !logSinceLaunch().contains("Address already in use")) {
                    throw e;
                }
                brokerPort = config.brokerPort;
                controllerPort = config.controllerPort;
            }
        }
    }

    private void requireFree(int port, String role) {
        if (!Net.isFree(port)) {
            throw new DevServerException("the " + role + " port 127.0.0.1:" + port + " of Kafka in " + workDir
                    + " is taken by another process; stop that process or choose another port");
        }
    }

    private void writeConfiguration() throws IOException {
        Files.createDirectories(workDir.resolve("logs"));
        Files.createDirectories(dataDir());
        Files.writeString(workDir.resolve("server.properties"),
                KafkaFiles.serverProperties(brokerPort, controllerPort, dataDir(), config.properties));
        Files.writeString(workDir.resolve("log4j2.xml"), KafkaFiles.log4j2());
    }

    /** KRaft needs formatted storage (cluster id, bootstrap metadata); formatting again would be refused. */
    private void formatStorageOnce(List<Path> jars) throws IOException {
        if (Files.exists(dataDir().resolve("meta.properties"))) {
            return;
        }
        Process format = launch(jars, STORAGE_TOOL, "format", "--cluster-id", KafkaFiles.newClusterId(),
                "--config", workDir.resolve("server.properties").toString(), "--ignore-formatted");
        try {
            if (!format.waitFor(config.startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                format.destroyForcibly();
                throw new DevServerException("formatting Kafka's storage in " + dataDir() + " took longer than "
                        + config.startTimeout.toSeconds() + " s (killed it); the end of " + logFile() + ":\n" + logTail(40));
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

    /** Launches a class of the Kafka distribution in a child JVM whose output is appended to the log. */
    private Process launch(List<Path> jars, String mainClass, String... args) throws IOException {
        Path launcher = ServerClasspath.writeLauncher(workDir.resolve("launcher"));
        boolean tool = !MAIN.equals(mainClass);
        Path log4j2 = workDir.resolve("log4j2.xml");
        Path logDir = workDir.resolve("logs");
        List<String> options = new ArrayList<>();
        if (tool) {
            options.addAll(KafkaFiles.toolJvmOptions(log4j2, logDir));
        } else {
            options.add("-Xms" + config.minHeap);
            options.add("-Xmx" + config.maxHeap);
            options.addAll(KafkaFiles.jvmOptions(log4j2, logDir));
            options.addAll(config.jvmOptions);
        }
        options.add("-D" + ChildMain.WATCH_STDIN + "=" + !config.detached);
        options.add("-cp");
        options.add(launcher + File.pathSeparator
                + jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        // An argument file keeps the command line short; it also lets a person rerun the broker by hand.
        Path argFile = Files.write(workDir.resolve(tool ? "tool-jvm.args" : "jvm.args"),
                options.stream().map(KafkaNode::argFileQuote).toList());

        List<String> command = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (config.detached && Files.isExecutable(setsid)) {
            // Its own session: closing the terminal that ran `annals dev kafka start` must not stop the broker.
            command.add(setsid.toString());
        }
        command.addAll(List.of(javaBinary().toString(), "@" + argFile, ChildMain.class.getName(), mainClass));
        command.addAll(List.of(args));
        Files.writeString(logFile(), LAUNCH_MARKER + (tool ? "formatting storage with " : "starting ") + "Kafka "
                + ServerClasspath.version("kafka") + " on 127.0.0.1:" + brokerPort + " (controller port "
                + controllerPort + ")\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(logFile().toFile()));
        if (config.detached) {
            builder.redirectInput(Redirect.from(new File(File.separatorChar == '\\' ? "NUL" : "/dev/null")));
        }
        Process started = builder.start();
        if (!config.detached) {
            ChildReaper.register(started.toHandle());
        }
        return started;
    }

    private void awaitBroker() {
        long deadline = System.nanoTime() + config.startTimeout.toNanos();
        InetSocketAddress address = address();
        while (true) {
            if (!process.isAlive()) {
                int code = process.exitValue();
                ChildReaper.forget(process.toHandle());
                throw new DevServerException("Kafka exited with code " + code + " during start-up" + firstError()
                        + "; the end of " + logFile() + ":\n" + logTail(40));
            }
            if (Net.kafkaAnswers(address)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new DevServerException("Kafka did not answer on " + address + " within "
                        + config.startTimeout.toSeconds() + " s (killed it); the end of " + logFile() + ":\n" + logTail(40));
            }
            sleep(100);
        }
    }

    /** Where clients connect, {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}; valid once started. */
    public synchronized String bootstrapServers() {
        return "127.0.0.1:" + address().getPort();
    }

    /** The broker's address (127.0.0.1 and the broker port); valid once started. */
    public synchronized InetSocketAddress address() {
        requireStarted();
        return new InetSocketAddress("127.0.0.1", brokerPort);
    }

    /** The broker (client) port; 0 before the first start unless the builder fixed it. */
    public synchronized int brokerPort() {
        return brokerPort;
    }

    /** The KRaft controller port; 0 before the first start unless the builder fixed it. */
    public synchronized int controllerPort() {
        return controllerPort;
    }

    /** The directory holding data, configuration and log. */
    public Path workDir() {
        return workDir;
    }

    /** The broker's log: its standard output and error (and the format tool's), appended to across restarts. */
    public Path logFile() {
        return workDir.resolve("logs").resolve("kafka.log");
    }

    /** Whether the broker's process is alive (it may still be starting or stopping). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The process id of the broker; valid once started. */
    public synchronized long pid() {
        requireStarted();
        return process.pid();
    }

    /**
     * Stops the broker gracefully: SIGTERM, then SIGKILL if it has not exited within the stop timeout. Does nothing
     * if it is not running. Data stays in the work directory.
     */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        process.destroy();
        if (!waitForExit(config.stopTimeout)) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
        }
        ChildReaper.forget(process.toHandle());
    }

    /** Kills the broker at once (SIGKILL), as a crash would; for fault tests. Does nothing if it is not running. */
    public synchronized void kill() {
        if (!isRunning()) {
            return;
        }
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
        ChildReaper.forget(process.toHandle());
    }

    /** Stops the broker if it runs, then starts it again on the same ports and data. */
    public synchronized KafkaNode restart() {
        stop();
        return start();
    }

    /** Stops the broker; then deletes the work directory if the builder asked for that. */
    @Override
    public synchronized void close() {
        stop();
        if (config.deleteWorkDirOnClose) {
            WorkDirs.deleteRecursively(workDir);
        }
    }

    /** The last lines of the broker's log, for failure messages. */
    public String logTail(int lines) {
        return WorkDirs.tail(logFile(), lines);
    }

    private Path dataDir() {
        return workDir.resolve("data");
    }

    private String firstError() {
        return logSinceLaunch().lines()
                .filter(line -> line.contains("] ERROR ") || line.contains("Exception: "))
                .findFirst().map(line -> " (" + line.trim() + ")").orElse("");
    }

    private String logSinceLaunch() {
        String tail = WorkDirs.tail(logFile(), 400);
        int last = tail.lastIndexOf(LAUNCH_MARKER + "starting");
        return last < 0 ? tail : tail.substring(last);
    }

    @Override
    public synchronized String toString() {
        return "KafkaNode[" + workDir + (isRunning() ? ", pid " + process.pid() + ", 127.0.0.1:" + brokerPort
                : ", not running") + "]";
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException("the broker has not been started: call start() first");
        }
    }

    /** The running JVM's {@code java}: Kafka 4 runs on Java 17 and later. */
    private static Path javaBinary() {
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        return Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevServerException("interrupted while waiting for Kafka", e);
        }
    }

    private static String argFileQuote(String arg) {
        return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Options of a {@link KafkaNode}. Every setting has a default; {@link #build()} may be called at once. */
    public static final class Builder {

        private Path workDir;
        private boolean deleteWorkDirOnClose;
        private String minHeap = "128m";
        private String maxHeap = "512m";
        private int brokerPort;
        private int controllerPort;
        private Duration startTimeout = Duration.ofSeconds(90);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private boolean detached;
        private Consumer<KafkaNode> onLaunch = node -> { };
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();

        private Builder() {
        }

        /**
         * The directory for data, configuration and log (created if absent; existing data is kept). Default: a
         * fresh {@code target/kafka-<pid>-<n>} in the working directory, deleted by {@link KafkaNode#close()}.
         */
        public Builder workDir(Path dir) {
            this.workDir = requireNonNull(dir, "workDir");
            return this;
        }

        /** Whether {@link KafkaNode#close()} deletes the work directory (default: only for the default one). */
        public Builder deleteWorkDirOnClose(boolean delete) {
            this.deleteWorkDirOnClose = delete;
            return this;
        }

        /** Heap bounds in JVM syntax (default {@code 128m} and {@code 512m}). */
        public Builder heap(String min, String max) {
            this.minHeap = requireSize(min, "min");
            this.maxHeap = requireSize(max, "max");
            return this;
        }

        /**
         * Sets a broker property ({@code server.properties}), replacing the default, e.g.
         * {@code property("num.partitions", "4")} or {@code property("auto.create.topics.enable", "false")}.
         * The listeners, node id and roles can be changed too, at your own risk.
         */
        public Builder property(String key, String value) {
            properties.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
            return this;
        }

        /** Adds a JVM option of the broker (after the defaults, so it can override them). */
        public Builder jvmOption(String option) {
            jvmOptions.add(requireNonNull(option, "option"));
            return this;
        }

        /** The broker (client) port (default: a free one chosen at the first start). */
        public Builder brokerPort(int port) {
            this.brokerPort = requirePort(port);
            return this;
        }

        /** The KRaft controller port (default: a free one chosen at the first start). */
        public Builder controllerPort(int port) {
            this.controllerPort = requirePort(port);
            return this;
        }

        /** How long {@link KafkaNode#start()} waits for the broker (default 90 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = requirePositive(timeout, "startTimeout");
            return this;
        }

        /** How long {@link KafkaNode#stop()} waits after SIGTERM before SIGKILL (default 30 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = requirePositive(timeout, "stopTimeout");
            return this;
        }

        /** A broker that outlives this JVM (no stdin watch, no shutdown hook); for {@link DevKafka}. */
        Builder detached(boolean detached) {
            this.detached = detached;
            return this;
        }

        /** Called right after the broker is launched, before waiting for it (ports and pid are known). */
        Builder onLaunch(Consumer<KafkaNode> action) {
            this.onLaunch = requireNonNull(action, "action");
            return this;
        }

        /** Creates the node (not started). */
        public KafkaNode build() {
            Builder copy = copy();
            if (copy.workDir == null) {
                copy.workDir = WorkDirs.moduleTarget().resolve("kafka-" + ProcessHandle.current().pid() + "-"
                        + WorkDirs.nextId());
                copy.deleteWorkDirOnClose = true;
            }
            if (copy.brokerPort != 0 && copy.brokerPort == copy.controllerPort) {
                throw new IllegalArgumentException("brokerPort and controllerPort must differ, both were " + brokerPort);
            }
            return new KafkaNode(copy);
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.workDir = workDir;
            copy.deleteWorkDirOnClose = deleteWorkDirOnClose;
            copy.minHeap = minHeap;
            copy.maxHeap = maxHeap;
            copy.brokerPort = brokerPort;
            copy.controllerPort = controllerPort;
            copy.startTimeout = startTimeout;
            copy.stopTimeout = stopTimeout;
            copy.detached = detached;
            copy.onLaunch = onLaunch;
            copy.properties.putAll(properties);
            copy.jvmOptions.addAll(jvmOptions);
            return copy;
        }

        private static <T> T requireNonNull(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private static String requireSize(String size, String name) {
            if (size == null || !size.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("heap " + name + " must look like 128m or 1g, was " + size);
            }
            return size;
        }

        private static int requirePort(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("a port must be 1-65535, was " + port);
            }
            return port;
        }

        private static Duration requirePositive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + duration);
            }
            return duration;
        }
    }
}
