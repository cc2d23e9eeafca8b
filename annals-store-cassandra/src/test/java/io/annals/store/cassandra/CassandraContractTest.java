package io.annals.store.cassandra;

import io.annals.core.spi.StorageEngine;
import io.annals.testkit.EventStoreContract;
import java.time.Clock;
import java.util.Map;

/**
 * The whole storage contract against a real Cassandra node. The tests share one keyspace, emptied before each
 * test (the contract wants an empty store per test; see {@link TestCassandra#truncate}). Small
 * buckets make the reads cross bucket boundaries; the log is read behind a 100 ms settle delay, which
 * {@link #awaitLogSettled} waits out before each log read.
 */
class CassandraContractTest extends EventStoreContract {
    private static final String KEYSPACE = TestCassandra.freshKeyspace("contract");
    private Map<String, String> options;
    private CassandraEngine engine;

    @Override
    protected StorageEngine openEngine(Clock clock) {
        TestCassandra.truncate(KEYSPACE);
        options = TestCassandra.options(TestCassandra.contactPoint(), KEYSPACE);
        options.put("bucket.aggregate", "PT6H");
        options.put("bucket.index", "PT1H");
        options.put("bucket.log", "PT10S");
        options.put("log.settle-delay", "PT0.1S");
        engine = CassandraEngine.open(TestCassandra.settings(options, clock));
        return engine;
    }

    @Override
    protected StorageEngine reopenEngine(Clock clock) {
        // the entries the closed engine wrote last become readable a settle delay after their log time, whoever reads
        engine.awaitLogSettled();
        engine = CassandraEngine.open(TestCassandra.settings(options, clock));
        return engine;
    }

    @Override
    protected void awaitLogSettled() {
        engine.awaitLogSettled();
    }
}
