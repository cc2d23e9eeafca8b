package io.annals.kafka;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.Position;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.SharedCassandra;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stores for the fault tests, named by a spec that can cross to a child process: {@code rocksdb} (in the given
 * directory) or {@code cassandra:<host>:<port>:<keyspace>} (a keyspace on a running node, log settle delay 1 s).
 */
final class TestStores {
    private TestStores() {}

    /** A spec for {@code engine} ("rocksdb" or "cassandra", then on the node shared by this JVM, in a new keyspace). */
    static String spec(String engine, String name) {
        if (engine.equals("rocksdb")) return "rocksdb";
        InetSocketAddress node = SharedCassandra.get().contactPoint();
        String keyspace = name + "_" + Long.toString(System.nanoTime() % 1_000_000, 36);
        return "cassandra:" + node.getHostString() + ":" + node.getPort() + ":" + keyspace;
    }

    static EventStore open(String spec, Path dir) {
        if (spec.equals("rocksdb")) return EventStores.open("rocksdb", EngineSettings.of(dir));
        String[] p = spec.split(":");
        if (p.length != 4 || !p[0].equals("cassandra")) throw new IllegalArgumentException("bad store spec " + spec);
        Map<String, String> options = Map.of("contact-points", p[1] + ":" + p[2], "local-datacenter", "datacenter1",
                "keyspace", p[3], "request-timeout", "PT10S", "log.settle-delay", "PT1S",
                "driver.advanced.metadata.schema.debouncer.window", "10 milliseconds");
        return reachable(EventStores.open("cassandra", new EngineSettings(dir, options, Clock.systemUTC())));
    }

    /**
     * {@code store} once it answers: Cassandra's session connects in the background, and an append before then fails
     * with "has not been reached yet" (on a busy machine this killed the outage test's writer at its first append).
     */
    private static EventStore reachable(EventStore store) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                store.readLog(Position.end(), 1);
                return store;
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    store.close();
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException i) {
                    Thread.currentThread().interrupt();
                    store.close();
                    throw e;
                }
            }
        }
    }
}
