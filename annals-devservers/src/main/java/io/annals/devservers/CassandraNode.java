package io.annals.devservers;

import io.annals.devservers.internal.CassandraFiles;
import io.annals.devservers.internal.ChildMain;
import io.annals.devservers.internal.ChildReaper;
import io.annals.devservers.internal.JavaFinder;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
    private static final String LAUNCH_MARKER = "=== annals-devservers: starting Cassandra ";

    private final Builder config;
    private final Path workDir;
    private int nativePort;
    private int storagePort;
    private Process process;
    private boolean portsSettled;

    private CassandraNode(Builder config) {
        this.config = config;
        this.workDir = config.workDir.toAbsolutePath().normalize();
        this.nativePort = config.nativePort;
        this.storagePort = config.storagePort;
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
    public synchronized CassandraNode start() {
        if (isRunning()) {
            throw new IllegalStateException("Cassandra is running already (pid " + process.pid() + ")");
        }
        Path java = JavaFinder.findJava(JAVA_FEATURE);
        List<Path> jars = ServerClasspath.jars("cassandra");
        // Free ports are picked before the node binds them, so another process may take one in between: then
        // pick again, unless the ports are fixed (by the builder, or by an earlier start that clients rely on).
        boolean mayRepick = !portsSettled && (config.nativePort == 0 || config.storagePort == 0);
        for (int attempt = 1; ; attempt++) {
            if (nativePort == 0) {
                nativePort = Net.freePortOtherThan(storagePort);
            }
            if (storagePort == 0) {
                storagePort = Net.freePortOtherThan(nativePort);
            }
            try {
                process = launch(java, jars);
            } catch (IOException e) {
                throw new DevServerException("could not start Cassandra in " + workDir + ": " + e, e);
            }
            if (!config.detached) {
                ChildReaper.register(process.toHandle());
            }
            config.onLaunch.accept(this);
            try {
                awaitCql();
                portsSettled = true;
                return this;
            } catch (DevServerException e) {
                if (!mayRepick || attempt == 3 || process.isAlive() || !autoPickedPortTaken(logSinceLaunch())) {
                    throw e;
                }
                nativePort = config.nativePort;
                storagePort = config.storagePort;
            }
        }
    }

    private Process launch(Path java, List<Path> jars) throws IOException {
        Path storage = workDir.resolve("data");
        Path logDir = workDir.resolve("logs");
        Files.createDirectories(storage);
        Files.createDirectories(logDir);
        Path yaml = Files.writeString(workDir.resolve("cassandra.yaml"),
                CassandraFiles.yaml(config.clusterName, storage, nativePort, storagePort, config.settings));
        Path logback = Files.writeString(workDir.resolve("logback.xml"), CassandraFiles.logback());
        Path launcher = ServerClasspath.writeLauncher(workDir.resolve("launcher"));

        List<String> options = new ArrayList<>();
        options.add("-Xms" + config.minHeap);
        options.add("-Xmx" + config.maxHeap);
        options.addAll(CassandraFiles.jvmOptions(yaml, storage, logDir, logback));
        if (config.unsafeSystem) {
            options.add("-Dcassandra.unsafesystem=true");
        }
        options.addAll(config.jvmOptions);
        options.add("-D" + ChildMain.WATCH_STDIN + "=" + !config.detached);
        options.add("-cp");
        options.add(launcher + File.pathSeparator
                + jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        // An argument file keeps the command line short; it also lets a person rerun the node by hand.
        Path argFile = Files.write(workDir.resolve("jvm.args"),
                options.stream().map(CassandraNode::argFileQuote).toList());

        List<String> command = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (config.detached && Files.isExecutable(setsid)) {
            // Its own session: closing the terminal that ran `annals dev cassandra start` must not stop the node.
            command.add(setsid.toString());
        }
        command.addAll(List.of(java.toString(), "@" + argFile, ChildMain.class.getName(), DAEMON));
        Files.writeString(logFile(), LAUNCH_MARKER + ServerClasspath.version("cassandra") + ServerClasspath.version("cassandra")
                + " on 127.0.0.1:" + nativePort + " (storage port " + storagePort + ") with " + java + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(logFile().toFile()));
        if (config.detached) {
            builder.redirectInput(Redirect.from(new File(File.separatorChar == '\\' ? "NUL" : "/dev/null")));
        }
        return builder.start();
    }

    private void awaitCql() {
        long deadline = System.nanoTime() + config.startTimeout.toNanos();
        InetSocketAddress address = contactPoint();
        while (true) {
            if (!process.isAlive()) {
                int code = process.exitValue();
                ChildReaper.forget(process.toHandle());
                throw new DevServerException("Cassandra exited with code " + code + " during start-up"
                        + firstError() + "; the end of " + logFile() + ":\n" + logTail(40));
            }
            if (Net.cqlAnswers(address)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new DevServerException("Cassandra did not answer CQL on " + address + " within "
                        + config.startTimeout.toSeconds() + " s (killed it); the end of " + logFile() + ":\n"
                        + logTail(40));
            }
            sleep(200);
        }
    }

    /** Where clients connect (127.0.0.1 and the native transport port); valid once started. */
    public synchronized InetSocketAddress contactPoint() {
        requireStarted();
        return new InetSocketAddress("127.0.0.1", nativePort);
    }

    /** The local datacenter name clients must give the driver: {@value #DATACENTER}. */
    public String localDatacenter() {
        return DATACENTER;
    }

    /** The CQL port; 0 before the first start unless the builder fixed it. */
    public synchronized int nativePort() {
        return nativePort;
    }

    /** The internode (storage) port; 0 before the first start unless the builder fixed it. */
    public synchronized int storagePort() {
        return storagePort;
    }

    /** The directory holding data, configuration and log. */
    public Path workDir() {
        return workDir;
    }

    /** The node's log: its standard output and error, appended to across restarts. */
    public Path logFile() {
        return workDir.resolve("logs").resolve("cassandra.log");
    }

    /** Whether the node's process is alive (it may still be starting or stopping). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The process id of the node; valid once started. */
    public synchronized long pid() {
        requireStarted();
        return process.pid();
    }

    /**
     * Stops the node gracefully: SIGTERM, then SIGKILL if it has not exited within the stop timeout. Does nothing
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

    /** Kills the node at once (SIGKILL), as a crash would; for fault tests. Does nothing if it is not running. */
    public synchronized void kill() {
        if (!isRunning()) {
            return;
        }
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
        ChildReaper.forget(process.toHandle());
    }

    /** Stops the node if it runs, then starts it again on the same ports and data. */
    public synchronized CassandraNode restart() {
        stop();
        return start();
    }

    /** Stops the node; then deletes the work directory if the builder asked for that. */
    @Override
    public synchronized void close() {
        stop();
        if (config.deleteWorkDirOnClose) {
            WorkDirs.deleteRecursively(workDir);
        }
    }

    /** The last lines of the node's log, for failure messages. */
    public String logTail(int lines) {
        return WorkDirs.tail(logFile(), lines);
    }

    /** Whether the log says a port is taken that this node picked itself (so picking again may help). */
    private boolean autoPickedPortTaken(String log) {
        Matcher storage = Pattern.compile("127\\.0\\.0\\.1:(\\d+) is in use by another process").matcher(log);
        if (storage.find()) {
            int port = Integer.parseInt(storage.group(1));
            return port == storagePort ? config.storagePort == 0 : config.nativePort == 0;
        }
        return log.contains("Address already in use") && (config.nativePort == 0 || config.storagePort == 0);
    }

    private String firstError() {
        return logSinceLaunch().lines()
                .filter(line -> line.startsWith("ERROR") || line.contains("Exception: "))
                .findFirst().map(line -> " (" + line.trim() + ")").orElse("");
    }

    private String logSinceLaunch() {
        String tail = WorkDirs.tail(logFile(), 400);
        int last = tail.lastIndexOf(LAUNCH_MARKER);
        return last < 0 ? tail : tail.substring(last);
    }

    @Override
    public synchronized String toString() {
        return "CassandraNode[" + workDir + (isRunning() ? ", pid " + process.pid() + ", 127.0.0.1:" + nativePort
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
            throw new IllegalStateException("the node has not been started: call start() first");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevServerException("interrupted while waiting for Cassandra", e);
        }
    }

    private static String argFileQuote(String arg) {
        return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * Options of a {@link CassandraNode}. Every setting has a default; {@link #build()} may be called at once.
     */
    public static final class Builder {

        private Path workDir;
        private boolean deleteWorkDirOnClose;
        private String clusterName = "annals-dev";
        private String minHeap = "256m";
        private String maxHeap = "1g";
        private int nativePort;
        private int storagePort;
        private Duration startTimeout = Duration.ofSeconds(120);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private boolean unsafeSystem;
        private boolean detached;
        private Consumer<CassandraNode> onLaunch = node -> { };
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();

        private Builder() {
        }

        /**
         * The directory for data, configuration and log (created if absent; existing data is kept). Default: a
         * fresh {@code target/cassandra-<n>} in the working directory, deleted by {@link CassandraNode#close()}.
         */
        public Builder workDir(Path dir) {
            this.workDir = requireNonNull(dir, "workDir");
            return this;
        }

        /** Whether {@link CassandraNode#close()} deletes the work directory (default: only for the default one). */
        public Builder deleteWorkDirOnClose(boolean delete) {
            this.deleteWorkDirOnClose = delete;
            return this;
        }

        /** Heap bounds in JVM syntax (default {@code 256m} and {@code 1g}; keep the minimum small: as root the node
         * locks all its memory). */
        public Builder heap(String min, String max) {
            this.minHeap = requireSize(min, "min");
            this.maxHeap = requireSize(max, "max");
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
            settings.put(requireNonNull(key, "key"), requireNonNull(yamlValue, "yamlValue"));
            return this;
        }

        /** Adds a JVM option (after the defaults, so it can override them), e.g. {@code -Dcassandra.ring_delay_ms=0}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(requireNonNull(option, "option"));
            return this;
        }

        /** The CQL port (default: a free one chosen at the first start). */
        public Builder nativePort(int port) {
            this.nativePort = requirePort(port);
            return this;
        }

        /** The internode port (default: a free one chosen at the first start). */
        public Builder storagePort(int port) {
            this.storagePort = requirePort(port);
            return this;
        }

        /** The cluster name in {@code cassandra.yaml} (default {@code annals-dev}); it must not change across restarts. */
        public Builder clusterName(String name) {
            this.clusterName = requireNonNull(name, "name");
            return this;
        }

        /** How long {@link CassandraNode#start()} waits for CQL (default 120 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = requirePositive(timeout, "startTimeout");
            return this;
        }

        /** How long {@link CassandraNode#stop()} waits after SIGTERM before SIGKILL (default 30 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = requirePositive(timeout, "stopTimeout");
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
            this.detached = detached;
            return this;
        }

        /** Called right after the process is launched, before waiting for CQL (ports and pid are known). */
        Builder onLaunch(Consumer<CassandraNode> action) {
            this.onLaunch = requireNonNull(action, "action");
            return this;
        }

        /** Creates the node (not started). */
        public CassandraNode build() {
            Builder copy = copy();
            if (copy.workDir == null) {
                copy.workDir = WorkDirs.moduleTarget().resolve("cassandra-" + ProcessHandle.current().pid() + "-"
                        + WorkDirs.nextId());
                copy.deleteWorkDirOnClose = true;
            }
            if (copy.nativePort != 0 && copy.nativePort == copy.storagePort) {
                throw new IllegalArgumentException("nativePort and storagePort must differ, both were " + nativePort);
            }
            return new CassandraNode(copy);
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.workDir = workDir;
            copy.deleteWorkDirOnClose = deleteWorkDirOnClose;
            copy.clusterName = clusterName;
            copy.minHeap = minHeap;
            copy.maxHeap = maxHeap;
            copy.nativePort = nativePort;
            copy.storagePort = storagePort;
            copy.startTimeout = startTimeout;
            copy.stopTimeout = stopTimeout;
            copy.unsafeSystem = unsafeSystem;
            copy.detached = detached;
            copy.onLaunch = onLaunch;
            copy.settings.putAll(settings);
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
                throw new IllegalArgumentException("heap " + name + " must look like 256m or 1g, was " + size);
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
