package io.annals.core.api;

import io.annals.core.internal.DefaultEventStore;
import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.StorageEngine;
import io.annals.core.spi.StorageEngineProvider;
import java.time.Clock;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Opens an {@link EventStore}: {@code EventStores.open("rocksdb", EngineSettings.of(Path.of("data")))}. */
public final class EventStores {
    private EventStores() {}

    public static EventStore open(StorageEngine engine) {
        return new DefaultEventStore(engine, Clock.systemUTC());
    }

    public static EventStore open(StorageEngine engine, Clock clock) {
        return new DefaultEventStore(engine, clock);
    }

    /** Opens the engine registered under {@code name}; fails naming the engines that are on the class path. */
    public static EventStore open(String name, EngineSettings settings) {
        ServiceLoader<StorageEngineProvider> providers = ServiceLoader.load(StorageEngineProvider.class);
        for (StorageEngineProvider p : providers) {
            if (p.name().equals(name)) return new DefaultEventStore(p.open(settings), settings.clock());
        }
        String known = providers.stream().map(p -> p.get().name()).sorted().collect(Collectors.joining(", "));
        throw new IllegalArgumentException("no storage engine named '" + name + "'; available: " + known);
    }
}
