package io.annals.core.internal.memory;

import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.StorageEngine;
import io.annals.core.spi.StorageEngineProvider;

/** Registers {@link InMemoryEngine} under the name {@code memory}. */
public final class InMemoryEngineProvider implements StorageEngineProvider {
    @Override
    public String name() {
        return "memory";
    }

    @Override
    public StorageEngine open(EngineSettings settings) {
        return new InMemoryEngine(settings.clock());
    }
}
