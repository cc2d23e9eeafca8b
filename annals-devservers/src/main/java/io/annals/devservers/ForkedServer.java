package io.annals.devservers;

import io.annals.devservers.internal.ChildMain;
import io.annals.devservers.internal.ChildReaper;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The life of a server in a forked JVM, the same for {@link KafkaNode} and {@link CassandraNode}: ports picked at the
 * first start and kept, the command line, the launch with the parent watch ({@link ChildMain}) and the shutdown hook
 * ({@link ChildReaper}), the wait until it answers, its log, and the stop (graceful, then forcible). A subclass says
 * what is the server's own: its configuration and launch, its readiness probe, and how its log reports errors.
 *
 * <p>Thread-safe: the methods that read or change the process or the ports are synchronized (the subclass's
 * methods run while {@link #start()} holds the lock).
 */
abstract class ForkedServer {

    private static final String LAUNCH_MARKER = "=== annals-devservers: ";

    private final String id;
    private final String name;
    private final String noun;
    private final String otherPortRole;
    private final String answering;
    private final long pollMillis;
    final ForkOptions options;
    private final Path workDir;
    private int port;
    private int otherPort;
    private boolean portsSettled;
    private Process process;

    /**
     * @param id            the server's short name: its classpath resource, log file and default work directory
     *                      ({@code kafka})
     * @param name          its name in messages ({@code Kafka})
     * @param noun          what one of it is ({@code broker})
     * @param otherPortRole what the second port is for ({@code controller})
     * @param answering     what it does once ready, in messages ({@code answer}, {@code answer CQL})
     * @param pollMillis    how often the readiness probe is tried
     */
    ForkedServer(String id, String name, String noun, String otherPortRole, String answering, long pollMillis,
            ForkOptions options) {
        this.id = id;
        this.name = name;
        this.noun = noun;
        this.otherPortRole = otherPortRole;
        this.answering = answering;
        this.pollMillis = pollMillis;
        this.options = options;
        this.workDir = options.workDir.toAbsolutePath().normalize();
        this.port = options.port;
        this.otherPort = options.otherPort;
    }

    /** Writes the configuration and forks the server with {@link #fork}; ports are known. */
    abstract Process launch() throws IOException;

    /** Called right after the launch, before waiting for the server (ports and pid are known). */
    abstract void launched();

    /** Whether the server answers on the address. */
    abstract boolean answers(InetSocketAddress address);

    /** Whether the log since the last launch says a port picked at random was taken (so picking again may help). */
    abstract boolean autoPickedPortTaken(String log);

    /** Whether a line of the log reports an error. */
    abstract boolean isErrorLine(String line);

    /** Launches the server and waits until it answers. */
    synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is running already (pid " + process.pid() + ")");
        }
        // Free ports are picked before the server binds them, so another process may take one in between: then
        // pick again, unless the ports are fixed (by the builder, or by an earlier start that clients rely on).
        boolean mayRepick = !portsSettled && (options.port == 0 || options.otherPort == 0);
        for (int attempt = 1; ; attempt++) {
            if (port == 0) {
                port = Net.freePortOtherThan(otherPort);
            }
            if (otherPort == 0) {
                otherPort = Net.freePortOtherThan(port);
            }
            try {
                process = launch();
            } catch (IOException e) {
                throw new DevServerException("could not start " + name + " in " + workDir + ": " + e, e);
            }
            launched();
            try {
                awaitAnswer();
                portsSettled = true;
                return;
            } catch (DevServerException e) {
                if (!mayRepick || attempt == 3 || process.isAlive() || !autoPickedPortTaken(logSinceLaunch())) {
                    throw e;
                }
                port = options.port;
                otherPort = options.otherPort;
            }
        }
    }

    /**
     * The server's JVM options: the heap, then {@code serverOptions}, then the builder's own (which can override
     * both).
     */
    List<String> jvmOptions(List<String> serverOptions) {
        List<String> all = new ArrayList<>();
        all.add("-Xms" + options.minHeap);
        all.add("-Xmx" + options.maxHeap);
        all.addAll(serverOptions);
        all.addAll(options.jvmOptions);
        return all;
    }

    /**
     * Forks {@code java @<argFile> ChildMain <mainClass> <args>} in the work directory, its output appended to the
     * log after a line saying what starts, and killed when this JVM exits unless detached.
     *
     * @param doing   what the fork does, for the log ({@code starting}: the server itself)
     * @param argFile the file for the JVM options and classpath, which also lets a person rerun the fork by hand
     */
    Process fork(String doing, Path java, List<Path> jars, List<String> jvmOptions, String argFile, String mainClass,
            String... args) throws IOException {
        Path launcher = ServerClasspath.writeLauncher(workDir.resolve("launcher"));
        List<String> argLines = new ArrayList<>(jvmOptions);
        argLines.add("-D" + ChildMain.WATCH_STDIN + "=" + !options.detached);
        argLines.add("-cp");
        argLines.add(launcher + File.pathSeparator
                + jars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        // An argument file keeps the command line short.
        Path argPath = Files.write(workDir.resolve(argFile), argLines.stream().map(ForkedServer::argFileQuote).toList());

        List<String> command = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (options.detached && Files.isExecutable(setsid)) {
            // Its own session: closing the terminal that ran `annals dev <server> start` must not stop the server.
            command.add(setsid.toString());
        }
        command.addAll(List.of(java.toString(), "@" + argPath, ChildMain.class.getName(), mainClass));
        command.addAll(List.of(args));
        Files.writeString(logFile(), LAUNCH_MARKER + doing + " " + name + " " + ServerClasspath.version(id)
                + " on 127.0.0.1:" + port + " (" + otherPortRole + " port " + otherPort + ") with " + java + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(logFile().toFile()));
        if (options.detached) {
            builder.redirectInput(Redirect.from(new File(File.separatorChar == '\\' ? "NUL" : "/dev/null")));
        }
        Process started = builder.start();
        if (!options.detached) {
            ChildReaper.register(started.toHandle());
        }
        return started;
    }

    private void awaitAnswer() {
        long deadline = System.nanoTime() + options.startTimeout.toNanos();
        InetSocketAddress address = address();
        while (true) {
            if (!process.isAlive()) {
                int code = process.exitValue();
                ChildReaper.forget(process.toHandle());
                throw new DevServerException(name + " exited with code " + code + " during start-up" + firstError()
                        + "; the end of " + logFile() + ":\n" + logTail(40));
            }
            if (answers(address)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new DevServerException(name + " did not " + answering + " on " + address + " within "
                        + options.startTimeout.toSeconds() + " s (killed it); the end of " + logFile() + ":\n"
                        + logTail(40));
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevServerException("interrupted while waiting for " + name, e);
            }
        }
    }

    /** 127.0.0.1 and the port clients use; valid once started. */
    synchronized InetSocketAddress address() {
        requireStarted();
        return new InetSocketAddress("127.0.0.1", port);
    }

    synchronized int port() {
        return port;
    }

    synchronized int otherPort() {
        return otherPort;
    }

    Path workDir() {
        return workDir;
    }

    Path logFile() {
        return workDir.resolve("logs").resolve(id + ".log");
    }

    String logTail(int lines) {
        return WorkDirs.tail(logFile(), lines);
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        requireStarted();
        return process.pid();
    }

    /** SIGTERM, then SIGKILL if it has not exited within the stop timeout; nothing if it is not running. */
    synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        process.destroy();
        if (!waitForExit(options.stopTimeout)) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
        }
        ChildReaper.forget(process.toHandle());
    }

    /** SIGKILL, as a crash would; nothing if it is not running. */
    synchronized void kill() {
        if (!isRunning()) {
            return;
        }
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(30));
        ChildReaper.forget(process.toHandle());
    }

    /** Stops the server if it runs, then starts it again on the same ports and data. */
    synchronized void restart() {
        stop();
        start();
    }

    /** Stops the server; then deletes the work directory if the builder asked for that. */
    synchronized void close() {
        stop();
        if (options.deleteWorkDirOnClose) {
            WorkDirs.deleteRecursively(workDir);
        }
    }

    /** The first error line of the log since the last launch, as {@code " (<line>)"}, or nothing. */
    private String firstError() {
        return logSinceLaunch().lines().filter(this::isErrorLine)
                .findFirst().map(line -> " (" + line.trim() + ")").orElse("");
    }

    private String logSinceLaunch() {
        String tail = WorkDirs.tail(logFile(), 400);
        int last = tail.lastIndexOf(LAUNCH_MARKER + "starting ");
        return last < 0 ? tail : tail.substring(last);
    }

    @Override
    public synchronized String toString() {
        return workDir + (isRunning() ? ", pid " + process.pid() + ", 127.0.0.1:" + port : ", not running");
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
            throw new IllegalStateException("the " + noun + " has not been started: call start() first");
        }
    }

    private static String argFileQuote(String arg) {
        return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
