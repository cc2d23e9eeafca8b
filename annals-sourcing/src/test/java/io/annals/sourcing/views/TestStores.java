package io.annals.sourcing.views;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.Position;
import io.annals.core.spi.EngineSettings;
import io.annals.sourcing.api.View;
import io.annals.sourcing.api.ViewStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Stores for the view tests ("memory", or "rocksdb" in a directory that outlives a close) and waiting helpers. */
final class TestStores {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TestStores() {}

    /** The engines every view test runs on. */
    static List<String> engines() {
        return List.of("memory", "rocksdb");
    }

    static EventStore open(String engine, Path dir) {
        return switch (engine) {
            case "memory" -> EventStores.open("memory", EngineSettings.of(null));
            case "rocksdb" -> EventStores.open("rocksdb", new EngineSettings(dir, Map.of("sync", "none"), Clock.systemUTC()));
            default -> throw new IllegalArgumentException(engine);
        };
    }

    /** Waits until {@code view} runs and has committed up to the head of the log as it is now. */
    static void awaitCaughtUp(EventStore store, View view) {
        Position head = store.readLog(Position.end(), 1).next();
        await(() -> {
            ViewStatus s = view.status();
            if (s.state() == ViewStatus.State.FAILED) throw new AssertionError("view failed", s.failure());
            return s.state() == ViewStatus.State.RUNNING && head.equals(s.checkpoint());
        }, "view " + view.name() + " to reach " + head);
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
