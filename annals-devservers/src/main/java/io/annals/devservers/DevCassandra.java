package io.annals.devservers;

import io.annals.devservers.internal.Net;
import io.annals.devservers.internal.ServerClasspath;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * A Cassandra node for local development that keeps running after the JVM that started it exits: the engine
 * behind {@code annals dev cassandra start|stop|status}.
 *
 * <p>{@link #start(Path)} starts a node with its data in the given directory (kept across stops), waits until it answers CQL, and records its process id and ports in
 * {@code <dir>/node.properties} (the process id also in {@code <dir>/cassandra.pid}). The CQL port is 9042 when free,
 * else a free port; a restarted node keeps the ports it had. {@link #stop(Path)} stops it gracefully.
 * The log is {@code <dir>/logs/cassandra.log}.
 */
public final class DevCassandra {

    /** The CQL port tried first, Cassandra's default. */
    public static final int DEFAULT_PORT = 9042;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final DevServer SERVER = new DevServer("cassandra", "Cassandra", "CassandraDaemon", START_TIMEOUT);

    private DevCassandra() {
    }

    /**
     * A node started by {@link #start(Path)}.
     *
     * @param pid          its process id
     * @param contactPoint where clients connect
     * @param storagePort  its internode port
     * @param dir          its directory
     */
    public record Running(long pid, InetSocketAddress contactPoint, int storagePort, Path dir) {

        /** The local datacenter clients must name: {@value CassandraNode#DATACENTER}. */
        public String localDatacenter() {
            return CassandraNode.DATACENTER;
        }

        /** Whether the node answers CQL requests now. */
        public boolean answersCql() {
            return Net.cqlAnswers(contactPoint);
        }

        /** The node's log file. */
        public Path logFile() {
            return SERVER.logFile(dir);
        }
    }

    /**
     * Starts a detached node in {@code dir} on CQL port {@value #DEFAULT_PORT} if free (else any free port), or
     * returns the one already running there.
     *
     * @throws DevServerException if it fails to start (the message ends with the tail of its log)
     */
    public static Running start(Path dir) {
        return start(dir, DEFAULT_PORT);
    }

    /**
     * Starts a detached node in {@code dir} with the given CQL port if it is free ({@code 0}: any free port), or
     * returns the one already running there. A directory that held a node before keeps its ports when free.
     *
     * @throws DevServerException if it fails to start (the message ends with the tail of its log)
     */
    public static Running start(Path dir, int preferredPort) {
        DevServer.requirePort(preferredPort);
        Path workDir = dir.toAbsolutePath().normalize();
        Optional<Running> running = status(workDir);
        if (running.isPresent()) {
            Running found = running.get();
            SERVER.await(found.pid(), workDir, found::answersCql, "answer CQL on " + found.contactPoint());
            return found;
        }
        Properties previous = DevServer.read(workDir);
        int nativePort = DevServer.portToUse(previous, "nativePort", preferredPort);
        int storagePort = DevServer.portToUse(previous, "storagePort", 0);
        CassandraNode.Builder builder = CassandraNode.builder()
                .workDir(workDir)
                .detached(true)
                // Recorded before the wait, so that a node whose starter is interrupted can still be stopped.
                .onLaunch(node -> write(new Running(node.pid(), node.contactPoint(), node.storagePort(), workDir)));
        if (nativePort != 0) {
            builder.nativePort(nativePort);
        }
        if (storagePort != 0 && storagePort != nativePort) {
            builder.storagePort(storagePort);
        }
        CassandraNode node = builder.build().start();
        return new Running(node.pid(), node.contactPoint(), node.storagePort(), workDir);
    }

    /**
     * Stops the node running in {@code dir}: SIGTERM, then SIGKILL after a minute. Data stays.
     *
     * @return whether a node was running there
     */
    public static boolean stop(Path dir) {
        return SERVER.stop(dir.toAbsolutePath().normalize());
    }

    /**
     * The node running in {@code dir}, if any (it may still be starting: see
     * {@link Running#answersCql()}).
     */
    public static Optional<Running> status(Path dir) {
        Path workDir = dir.toAbsolutePath().normalize();
        return SERVER.process(workDir).map(process -> {
            Properties properties = DevServer.read(workDir);
            return new Running(process.pid(),
                    new InetSocketAddress("127.0.0.1", Integer.parseInt(properties.getProperty("nativePort", "0"))),
                    Integer.parseInt(properties.getProperty("storagePort", "0")), workDir);
        });
    }

    /**
     * A command line for trying it without the {@code annals} CLI:
     * {@code java -cp annals-devservers.jar io.annals.devservers.DevCassandra start|stop|status DIR [PORT]}.
     * Exit status: 0 done (or running, for status), 1 failure, 2 usage, 3 not running (status).
     */
    public static void main(String[] args) {
        SERVER.main(args, "CQL_PORT", DEFAULT_PORT, (dir, port) -> describe(start(dir, port)),
                dir -> status(dir).map(DevCassandra::describe));
    }

    /** One line for people: version, pid, where to connect, the datacenter and the log. */
    public static String describe(Running running) {
        return "Cassandra " + ServerClasspath.version("cassandra") + " running: pid " + running.pid() + ", CQL "
                + running.contactPoint().getHostString() + ":" + running.contactPoint().getPort() + ", datacenter "
                + running.localDatacenter() + ", data " + running.dir() + ", log " + running.logFile();
    }

    private static void write(Running running) {
        Properties properties = new Properties();
        properties.setProperty("host", running.contactPoint().getHostString());
        properties.setProperty("nativePort", Integer.toString(running.contactPoint().getPort()));
        properties.setProperty("storagePort", Integer.toString(running.storagePort()));
        properties.setProperty("localDatacenter", running.localDatacenter());
        SERVER.write(running.dir(), running.pid(), properties);
    }
}
