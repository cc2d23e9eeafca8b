package io.annals.testkit;

import io.annals.core.spi.StorageEngine;
import java.time.Clock;

/** The key-values contract against the in-memory engine; a restart is a fresh {@link RestartableEngine} view. */
class InMemoryKeyValuesTest extends KeyValuesContract {
    private StorageEngine current;

    @Override
    protected StorageEngine openEngine(Clock clock) {
        current = InMemoryContractTest.openMemory(clock);
        return new RestartableEngine(current);
    }

    @Override
    protected StorageEngine reopenEngine(Clock clock) {
        return new RestartableEngine(current);
    }
}
