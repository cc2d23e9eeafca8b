package io.annals.devservers;

import io.annals.devservers.internal.Net;
import io.annals.devservers.internal.ServerClasspath;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker for local development that keeps running after the JVM that started it exits: the engine behind
 * {@code annals dev kafka start|stop|status}.
 *
 * <p>{@link #start(Path)} starts a broker with its data in the given directory (kept across stops), waits until it
 * serves requests, and records its process id and ports in {@code <dir>/node.properties} (the process id also in
 * {@code <dir>/kafka.pid}). The broker port is 9092 when free, else a free port; a restarted broker keeps the ports
 * it had. {@link #stop(Path)} stops it gracefully. The log is {@code <dir>/logs/kafka.log}.
 */
public final class DevKafka {

    /** The broker port tried first, Kafka's default. */
    public static final int DEFAULT_PORT = 9092;

    private static final String NODE_FILE = "node.properties";
    private static final String PID_FILE = "kafka.pid";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private DevKafka() {
    }

    /**
     * A broker started by {@link #start(Path)}.
     *
     * @param pid            its process id
     * @param address        where clients connect
     * @param controllerPort its KRaft controller port
     * @param dir            its directory
     */
    public record Running(long pid, InetSocketAddress address, int controllerPort, Path dir) {

        /** The value for a client's {@code bootstrap.servers}. */
        public String bootstrapServers() {
            return address.getHostString() + ":" + address.getPort();
        }

        /** Whether the broker serves requests now. */
        public boolean answers() {
            return Net.kafkaAnswers(address);
        }

        /** The broker's log file. */
        public Path logFile() {
            return dir.resolve("logs").resolve("kafka.log");
        }
    }

    /**
     * Starts a detached broker in {@code dir} on port {@value #DEFAULT_PORT} if free (else any free port), or
     * returns the one already running there.
     *
     * @throws DevServerException if it fails to start (the message ends with the tail of its log)
     */
    public static Running start(Path dir) {
        return start(dir, DEFAULT_PORT);
    }

    /**
     * Starts a detached broker in {@code dir} with the given broker port if it is free ({@code 0}: any free port),
     * or returns the one already running there. A directory that held a broker before keeps its ports when free.
     *
     * @throws DevServerException if it fails to start (the message ends with the tail of its log)
     */
    public static Running start(Path dir, int preferredPort) {
        if (preferredPort < 0 || preferredPort > 65535) {
            throw new IllegalArgumentException("a port must be 0-65535, was " + preferredPort);
        }
        Path workDir = dir.toAbsolutePath().normalize();
        Optional<Running> running = status(workDir);
        if (running.isPresent()) {
            return awaitBroker(running.get());
        }
        Properties previous = read(workDir);
        int brokerPort = reusablePort(previous, "brokerPort");
        if (brokerPort == 0 && preferredPort != 0 && Net.isFree(preferredPort)) {
            brokerPort = preferredPort;
        }
        int controllerPort = reusablePort(previous, "controllerPort");
        KafkaNode.Builder builder = KafkaNode.builder()
                .workDir(workDir)
                .startTimeout(START_TIMEOUT)
                .detached(true)
                // Recorded before the wait, so that a broker whose starter is interrupted can still be stopped.
                .onLaunch(node -> write(new Running(node.pid(), node.address(), node.controllerPort(), workDir)));
        if (brokerPort != 0) {
            builder.brokerPort(brokerPort);
        }
        if (controllerPort != 0 && controllerPort != brokerPort) {
            builder.controllerPort(controllerPort);
        }
        KafkaNode node = builder.build().start();
        return new Running(node.pid(), node.address(), node.controllerPort(), workDir);
    }

    /** A broker of ours is alive in the directory but may still be starting: give it the usual start time. */
    private static Running awaitBroker(Running running) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!running.answers()) {
            if (System.nanoTime() > deadline || !ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                throw new DevServerException("Kafka (pid " + running.pid() + ") runs in " + running.dir()
                        + " but does not answer on " + running.bootstrapServers() + "; stop it with"
                        + " `annals dev kafka stop` and look at " + running.logFile());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevServerException("interrupted while waiting for Kafka", e);
            }
        }
        return running;
    }

    /**
     * Stops the broker running in {@code dir}: SIGTERM, then SIGKILL after a minute. Data stays.
     *
     * @return whether a broker was running there
     */
    public static boolean stop(Path dir) {
        Path workDir = dir.toAbsolutePath().normalize();
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
                throw new DevServerException("Kafka (pid " + handle.pid() + ") did not exit after SIGKILL", again);
            }
        }
        try {
            Files.deleteIfExists(workDir.resolve(PID_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    /** The broker running in {@code dir}, if any (it may still be starting: see {@link Running#answers()}). */
    public static Optional<Running> status(Path dir) {
        Path workDir = dir.toAbsolutePath().normalize();
        return process(workDir).map(process -> {
            Properties properties = read(workDir);
            return new Running(process.pid(),
                    new InetSocketAddress("127.0.0.1", Integer.parseInt(properties.getProperty("brokerPort", "0"))),
                    Integer.parseInt(properties.getProperty("controllerPort", "0")), workDir);
        });
    }

    /**
     * A command line for trying it without the {@code annals} CLI:
     * {@code java -cp annals-devservers.jar io.annals.devservers.DevKafka start|stop|status DIR [PORT]}.
     * Exit status: 0 done (or running, for status), 1 failure, 2 usage, 3 not running (status).
     */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3 || !List.of("start", "stop", "status").contains(args[0])) {
            System.err.println("usage: DevKafka start|stop|status DIR [BROKER_PORT]");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        try {
            switch (args[0]) {
                case "start" -> System.out.println(describe(start(dir, args.length == 3 ? Integer.parseInt(args[2]) : DEFAULT_PORT)));
                case "stop" -> System.out.println(stop(dir) ? "Kafka stopped" : "Kafka was not running in " + dir);
                default -> {
                    Optional<Running> running = status(dir);
                    System.out.println(running.map(DevKafka::describe).orElse("Kafka is not running in " + dir));
                    System.exit(running.isPresent() ? 0 : 3);
                }
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    /** One line for people: version, pid, where to connect, the data and the log. */
    public static String describe(Running running) {
        return "Kafka " + ServerClasspath.version("kafka") + " running: pid " + running.pid() + ", bootstrap servers "
                + running.bootstrapServers() + ", data " + running.dir() + ", log " + running.logFile();
    }

    /** The live process recorded in the directory, if it still looks like our broker (process ids get reused). */
    private static Optional<ProcessHandle> process(Path workDir) {
        Path pidFile = workDir.resolve(PID_FILE);
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
                        .map(line -> line.contains("kafka.Kafka") && line.contains(workDir.toString()))
                        .orElse(true));
    }

    private static Properties read(Path workDir) {
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

    private static void write(Running running) {
        Properties properties = new Properties();
        properties.setProperty("pid", Long.toString(running.pid()));
        properties.setProperty("host", running.address().getHostString());
        properties.setProperty("brokerPort", Integer.toString(running.address().getPort()));
        properties.setProperty("controllerPort", Integer.toString(running.controllerPort()));
        properties.setProperty("bootstrapServers", running.bootstrapServers());
        properties.setProperty("log", running.logFile().toString());
        try (Writer writer = Files.newBufferedWriter(running.dir().resolve(NODE_FILE))) {
            properties.store(writer, "annals dev kafka");
            Files.writeString(running.dir().resolve(PID_FILE), running.pid() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port recorded by an earlier start if it is free now, else 0. */
    private static int reusablePort(Properties properties, String key) {
        String recorded = properties.getProperty(key);
        if (recorded == null) {
            return 0;
        }
        int port = Integer.parseInt(recorded.trim());
        return Net.isFree(port) ? port : 0;
    }
}
