package io.annals.testkit;

import io.annals.core.spi.StorageEngine;
import java.time.Clock;

/** The subscription contract against the in-memory reference engine. */
class InMemorySubscriptionTest extends SubscriptionContract {
    @Override
    protected StorageEngine openEngine(Clock clock) {
        return InMemoryContractTest.openMemory(clock);
    }
}
