package io.annals.devservers;

import io.annals.devservers.internal.Net;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What {@link DevKafka} and {@link DevCassandra} share: the directory's {@code node.properties} and pid file, the
 * detached process they name, stopping it, and the command line.
 */
final class DevServer {

    private static final String NODE_FILE = "node.properties";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String id;
    private final String name;
    private final String mainClass;
    private final Duration startTimeout;

    /**
     * @param id           the server's short name: {@code <id>.pid}, {@code annals dev <id>}
     * @param name         its name in messages
     * @param mainClass    a part of its command line that tells it from other processes
     * @param startTimeout how long a server found starting gets to answer
     */
    DevServer(String id, String name, String mainClass, Duration startTimeout) {
        this.id = id;
        this.name = name;
        this.mainClass = mainClass;
        this.startTimeout = startTimeout;
    }

    static void requirePort(int preferredPort) {
        if (preferredPort < 0 || preferredPort > 65535) {
            throw new IllegalArgumentException("a port must be 0-65535, was " + preferredPort);
        }
    }

    /**
     * The port recorded under {@code key} by an earlier start if it is free now, else {@code preferred} if free,
     * else 0.
     */
    static int portToUse(Properties previous, String key, int preferred) {
        String recorded = previous.getProperty(key);
        int port = recorded == null ? 0 : Integer.parseInt(recorded.trim());
        if (port != 0 && Net.isFree(port)) {
            return port;
        }
        return preferred != 0 && Net.isFree(preferred) ? preferred : 0;
    }

    /** A server of ours is alive in the directory but may still be starting: gives it the usual start time. */
    void await(long pid, Path dir, BooleanSupplier answers, String notAnswering) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (!answers.getAsBoolean()) {
            if (System.nanoTime() > deadline || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new DevServerException(name + " (pid " + pid + ") runs in " + dir + " but does not "
                        + notAnswering + "; stop it with `annals dev " + id + " stop` and look at " + logFile(dir));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevServerException("interrupted while waiting for " + name, e);
            }
        }
    }

    /** Stops the server running in the directory: SIGTERM, then SIGKILL after a minute; whether one was running. */
    boolean stop(Path workDir) {
        Optional<ProcessHandle> process = process(workDir);
        if (process.isEmpty()) {
            return false;
        }
        ProcessHandle handle = process.get();
        handle.destroy();
        try {
            handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception again) {
                throw new DevServerException(name + " (pid " + handle.pid() + ") did not exit after SIGKILL", again);
            }
        }
        try {
            Files.deleteIfExists(workDir.resolve(pidFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    /** The live process recorded in the directory, if it still looks like our server (process ids get reused). */
    Optional<ProcessHandle> process(Path workDir) {
        Path pidFile = workDir.resolve(pidFile());
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().commandLine()
                        .map(line -> line.contains(mainClass) && line.contains(workDir.toString()))
                        .orElse(true));
    }

    /** What {@code node.properties} in the directory says (nothing if there is none). */
    static Properties read(Path workDir) {
        Properties properties = new Properties();
        Path file = workDir.resolve(NODE_FILE);
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }

    /** Records a server in its directory: {@code node.properties} with its pid and these properties; the pid file. */
    void write(Path workDir, long pid, Properties properties) {
        properties.setProperty("pid", Long.toString(pid));
        properties.setProperty("log", logFile(workDir).toString());
        try (Writer writer = Files.newBufferedWriter(workDir.resolve(NODE_FILE))) {
            properties.store(writer, "annals dev " + id);
            Files.writeString(workDir.resolve(pidFile()), pid + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logFile(Path dir) {
        return dir.resolve("logs").resolve(id + ".log");
    }

    private String pidFile() {
        return id + ".pid";
    }

    /**
     * The command line without the {@code annals} CLI: {@code start|stop|status DIR [PORT]}. Exit status: 0 done (or
     * running, for status), 1 failure, 2 usage, 3 not running (status).
     *
     * @param start  starts a server in a directory on a preferred port, and describes it
     * @param status describes the server running in a directory, if any
     */
    void main(String[] args, String portName, int defaultPort, BiFunction<Path, Integer, String> start,
            Function<Path, Optional<String>> status) {
        if (args.length < 2 || args.length > 3 || !List.of("start", "stop", "status").contains(args[0])) {
            System.err.println("usage: Dev" + name + " start|stop|status DIR [" + portName + "]");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        try {
            switch (args[0]) {
                case "start" -> System.out.println(
                        start.apply(dir, args.length == 3 ? Integer.parseInt(args[2]) : defaultPort));
                case "stop" -> System.out.println(stop(dir.toAbsolutePath().normalize()) ? name + " stopped"
                        : name + " was not running in " + dir);
                default -> {
                    Optional<String> running = status.apply(dir);
                    System.out.println(running.orElse(name + " is not running in " + dir));
                    System.exit(running.isPresent() ? 0 : 3);
                }
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }
}
