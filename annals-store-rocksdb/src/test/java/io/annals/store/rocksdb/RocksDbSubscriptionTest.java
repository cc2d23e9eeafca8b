package io.annals.store.rocksdb;

import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.StorageEngine;
import io.annals.testkit.SubscriptionContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The subscription contract on the RocksDB engine, opened through its provider as the server does. */
class RocksDbSubscriptionTest extends SubscriptionContract {
    @TempDir
    Path dir;

    @Override
    protected StorageEngine openEngine(Clock clock) {
        return new RocksDbEngineProvider().open(new EngineSettings(dir, RocksDbContractTest.OPTIONS, clock));
    }
}
