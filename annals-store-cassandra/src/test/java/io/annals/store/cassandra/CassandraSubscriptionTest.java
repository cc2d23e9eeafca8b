package io.annals.store.cassandra;

import io.annals.core.spi.StorageEngine;
import io.annals.testkit.SubscriptionContract;
import java.time.Clock;
import java.util.Map;

/**
 * The subscription contract against the shared Cassandra node, with the log read behind a 100 ms settle delay:
 * subscriptions see events once they are past it, found by polling (the local wake-up comes too early).
 */
class CassandraSubscriptionTest extends SubscriptionContract {
    private static final String KEYSPACE = TestCassandra.freshKeyspace("subs");
    private CassandraEngine engine;

    @Override
    protected StorageEngine openEngine(Clock clock) {
        TestCassandra.truncate(KEYSPACE);
        Map<String, String> options = TestCassandra.options(TestCassandra.contactPoint(), KEYSPACE);
        options.put("bucket.log", "PT10S");
        options.put("log.settle-delay", "PT0.1S");
        engine = CassandraEngine.open(TestCassandra.settings(options, clock));
        return engine;
    }

    @Override
    protected void awaitLogSettled() {
        engine.awaitLogSettled();
    }
}
