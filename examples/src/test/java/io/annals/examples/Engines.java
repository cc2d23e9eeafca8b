package io.annals.examples;

import io.annals.core.api.AggregateId;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.SharedCassandra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The stores a test class runs the examples on, one per engine, opened on first use: the in-memory engine, RocksDB in
 * a temporary directory, and Cassandra on the node shared by the test JVM ({@link SharedCassandra}) in a keyspace of
 * the class's own. The tests of a class share its stores, so each test uses aggregate ids of its own.
 */
public final class Engines implements AutoCloseable {
    private final String name;
    private final Map<String, EventStore> stores = new LinkedHashMap<>();
    private Path rocksDir;

    /** {@code name} names the Cassandra keyspace ({@code examples_<name>}): one per test class. */
    public Engines(String name) {
        this.name = name;
    }

    /** The store of {@code engine}: "memory", "rocksdb" or "cassandra". */
    public synchronized EventStore store(String engine) {
        return stores.computeIfAbsent(engine, this::open);
    }

    private EventStore open(String engine) {
        return switch (engine) {
            case "memory" -> EventStores.open("memory", EngineSettings.of(null));
            case "rocksdb" -> EventStores.open("rocksdb",
                    new EngineSettings(rocksDir(), Map.of("sync", "none"), Clock.systemUTC()));
            case "cassandra" -> {
                InetSocketAddress node = SharedCassandra.get().contactPoint();
                Map<String, String> options = Map.of(
                        "contact-points", node.getHostString() + ":" + node.getPort(),
                        "local-datacenter", "datacenter1", "keyspace", "examples_" + name,
                        "request-timeout", "PT10S", "log.settle-delay", "PT0.2S",
                        "driver.advanced.metadata.schema.debouncer.window", "10 milliseconds");
                yield ready(EventStores.open("cassandra", new EngineSettings(null, options, Clock.systemUTC())));
            }
            default -> throw new IllegalArgumentException("no engine " + engine + " (memory, rocksdb or cassandra)");
        };
    }

    /**
     * Waits until the store answers: the engine connects and creates its keyspace in the background, which on a busy
     * machine can take longer than the request timeout the engine waits for when it opens.
     */
    private static EventStore ready(EventStore store) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                store.streamVersion(AggregateId.of("examples", "ready"));
                return store;
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    store.close();
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    private Path rocksDir() {
        try {
            rocksDir = Files.createTempDirectory("examples-" + name);
            return rocksDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the stores opened and deletes the RocksDB directory. */
    @Override
    public synchronized void close() throws IOException {
        for (EventStore store : stores.values()) store.close();
        stores.clear();
        if (rocksDir != null) {
            try (Stream<Path> paths = Files.walk(rocksDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
            rocksDir = null;
        }
    }
}
