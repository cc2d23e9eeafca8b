package io.annals.testkit;

import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.StorageEngine;
import io.annals.core.spi.StorageEngineProvider;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The contract against the in-memory reference engine (opened by its provider name, as users would). A restart is
 * simulated by handing the same engine out again behind a fresh {@link RestartableEngine} view, which exercises the
 * durability tests themselves.
 */
class InMemoryContractTest extends EventStoreContract {
    private StorageEngine current;

    static StorageEngine openMemory(Clock clock) {
        for (StorageEngineProvider p : ServiceLoader.load(StorageEngineProvider.class)) {
            if (p.name().equals("memory")) return p.open(new EngineSettings(null, Map.of(), clock));
        }
        throw new IllegalStateException("the 'memory' engine is not registered");
    }

    @Override
    protected StorageEngine openEngine(Clock clock) {
        current = openMemory(clock);
        return new RestartableEngine(current);
    }

    @Override
    protected StorageEngine reopenEngine(Clock clock) {
        return new RestartableEngine(current);
    }
}
