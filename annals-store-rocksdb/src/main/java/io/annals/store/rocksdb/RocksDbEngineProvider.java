package io.annals.store.rocksdb;

import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.StorageEngine;
import io.annals.core.spi.StorageEngineProvider;

/** Registers {@link RocksDbEngine} under the name {@code rocksdb}: {@code EventStores.open("rocksdb", settings)}. */
public final class RocksDbEngineProvider implements StorageEngineProvider {
    @Override
    public String name() {
        return "rocksdb";
    }

    @Override
    public StorageEngine open(EngineSettings settings) {
        return RocksDbEngine.open(settings);
    }
}
