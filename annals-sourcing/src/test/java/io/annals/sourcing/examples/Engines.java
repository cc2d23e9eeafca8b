package io.annals.sourcing.examples;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** The engines the examples run on: the in-memory one and RocksDB in a temporary directory. */
public final class Engines {
    private Engines() {}

    public static EventStore open(String engine, Path dir) {
        return switch (engine) {
            case "memory" -> EventStores.open("memory", EngineSettings.of(null));
            case "rocksdb" -> EventStores.open("rocksdb", new EngineSettings(dir, Map.of("sync", "none"), Clock.systemUTC()));
            default -> throw new IllegalArgumentException(engine);
        };
    }
}
