package io.annals.store.rocksdb;

import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.StorageEngine;
import io.annals.testkit.EventStoreContract;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract on the RocksDB engine, through its provider as the server opens it, with one-minute buckets
 * so that reads cross many of them. Without fsync ({@code sync=none}) to keep the suite quick: a clean close and
 * reopen loses nothing either way, and {@link CrashTest} covers the synced path under SIGKILL.
 */
class RocksDbContractTest extends EventStoreContract {
    static final Map<String, String> OPTIONS = Map.of("index.bucket", "PT1M", "block-cache.size", "8MiB", "sync", "none");

    @TempDir
    Path dir;

    @Override
    protected StorageEngine openEngine(Clock clock) {
        return new RocksDbEngineProvider().open(new EngineSettings(dir, OPTIONS, clock));
    }

    @Override
    protected StorageEngine reopenEngine(Clock clock) {
        return openEngine(clock);
    }
}
