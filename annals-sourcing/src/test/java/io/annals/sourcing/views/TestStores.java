package io.annals.sourcing.views;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.Position;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.SharedCassandra;
import io.annals.sourcing.api.View;
import io.annals.sourcing.api.ViewStatus;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Stores for the view tests ("memory"; "rocksdb" in a directory that outlives a close; "cassandra", a new keyspace on
 * the node shared by this test JVM) and waiting helpers.
 */
final class TestStores {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Stores whose log shows an event only after a settle delay (0.2 s). */
    private static final Set<EventStore> SETTLING = Collections.newSetFromMap(new WeakHashMap<>());

    private TestStores() {}

    /** The engines the main view tests run on. */
    static List<String> engines() {
        return List.of("memory", "rocksdb", "cassandra");
    }

    /** The engines the other view tests run on (a keyspace per test costs seconds on Cassandra). */
    static List<String> localEngines() {
        return List.of("memory", "rocksdb");
    }

    private static boolean answers(EventStore store) {
        try {
            store.readLog(Position.end(), 1);
            return true;
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    static EventStore open(String engine, Path dir) {
        return switch (engine) {
            case "memory" -> EventStores.open("memory", EngineSettings.of(null));
            case "rocksdb" -> EventStores.open("rocksdb", new EngineSettings(dir, Map.of("sync", "none"), Clock.systemUTC()));
            case "cassandra" -> {
                InetSocketAddress node = SharedCassandra.get().contactPoint();
                String keyspace = "views_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
                Map<String, String> options = Map.of("contact-points", node.getHostString() + ":" + node.getPort(),
                        "local-datacenter", "datacenter1", "keyspace", keyspace, "request-timeout", "PT10S",
                        "log.settle-delay", "PT0.2S", "driver.advanced.metadata.schema.debouncer.window", "10 milliseconds");
                EventStore store = EventStores.open("cassandra", new EngineSettings(dir, options, Clock.systemUTC()));
                SETTLING.add(store);
                await(() -> answers(store), "Cassandra to answer"); // the engine connects in the background
                yield store;
            }
            default -> throw new IllegalArgumentException(engine);
        };
    }

    /** Waits until {@code view} runs and has committed up to the head of the log as it is now. */
    static void awaitCaughtUp(EventStore store, View view) {
        Position head = settledHead(store);
        await(() -> {
            ViewStatus s = view.status();
            if (s.state() == ViewStatus.State.FAILED) throw new AssertionError("view failed", s.failure());
            return s.state() == ViewStatus.State.RUNNING && head.equals(s.checkpoint());
        }, "view " + view.name() + " to reach " + head);
    }

    /** The head of the log once every event appended so far shows in it. */
    static Position settledHead(EventStore store) {
        Position head = store.readLog(Position.end(), 1).next();
        if (!SETTLING.contains(store)) return head;
        while (true) {
            sleep(500);
            Position again = store.readLog(Position.end(), 1).next();
            if (again.equals(head)) return head;
            head = again;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            sleep(10);
        }
    }
}
