package io.annals.store.cassandra;

import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.StorageEngine;
import io.annals.core.spi.StorageEngineProvider;

/** Registers {@link CassandraEngine} under the name {@code cassandra}: {@code EventStores.open("cassandra", settings)}. */
public final class CassandraEngineProvider implements StorageEngineProvider {
    @Override
    public String name() {
        return "cassandra";
    }

    @Override
    public StorageEngine open(EngineSettings settings) {
        return CassandraEngine.open(settings);
    }
}
