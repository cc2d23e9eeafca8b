package io.annals.testkit;

import io.annals.core.spi.StorageEngine;
import java.time.Clock;

/** The paging properties against the in-memory reference engine. */
class InMemoryPagingPropertiesTest extends PagingProperties {
    @Override
    protected StorageEngine openEngine(Clock clock) {
        return InMemoryContractTest.openMemory(clock);
    }
}
