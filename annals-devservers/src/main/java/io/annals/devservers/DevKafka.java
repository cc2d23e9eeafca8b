package io.annals.devservers;

import io.annals.devservers.internal.Net;
import io.annals.devservers.internal.ServerClasspath;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

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

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final DevServer SERVER = new DevServer("kafka", "Kafka", "kafka.Kafka", START_TIMEOUT);

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
            return SERVER.logFile(dir);
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
        DevServer.requirePort(preferredPort);
        Path workDir = dir.toAbsolutePath().normalize();
        Optional<Running> running = status(workDir);
        if (running.isPresent()) {
            Running found = running.get();
            SERVER.await(found.pid(), workDir, found::answers, "answer on " + found.bootstrapServers());
            return found;
        }
        Properties previous = DevServer.read(workDir);
        int brokerPort = DevServer.portToUse(previous, "brokerPort", preferredPort);
        int controllerPort = DevServer.portToUse(previous, "controllerPort", 0);
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

    /**
     * Stops the broker running in {@code dir}: SIGTERM, then SIGKILL after a minute. Data stays.
     *
     * @return whether a broker was running there
     */
    public static boolean stop(Path dir) {
        return SERVER.stop(dir.toAbsolutePath().normalize());
    }

    /** The broker running in {@code dir}, if any (it may still be starting: see {@link Running#answers()}). */
    public static Optional<Running> status(Path dir) {
        Path workDir = dir.toAbsolutePath().normalize();
        return SERVER.process(workDir).map(process -> {
            Properties properties = DevServer.read(workDir);
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
        SERVER.main(args, "BROKER_PORT", DEFAULT_PORT, (dir, port) -> describe(start(dir, port)),
                dir -> status(dir).map(DevKafka::describe));
    }

    /** One line for people: version, pid, where to connect, the data and the log. */
    public static String describe(Running running) {
        return "Kafka " + ServerClasspath.version("kafka") + " running: pid " + running.pid() + ", bootstrap servers "
                + running.bootstrapServers() + ", data " + running.dir() + ", log " + running.logFile();
    }

    private static void write(Running running) {
        Properties properties = new Properties();
        properties.setProperty("host", running.address().getHostString());
        properties.setProperty("brokerPort", Integer.toString(running.address().getPort()));
        properties.setProperty("controllerPort", Integer.toString(running.controllerPort()));
        properties.setProperty("bootstrapServers", running.bootstrapServers());
        SERVER.write(running.dir(), running.pid(), properties);
    }
}
