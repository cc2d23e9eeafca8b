package io.annals.store.cassandra;

import io.annals.core.spi.StorageEngine;
import io.annals.testkit.PagingProperties;
import java.time.Clock;
import java.util.Map;

/**
 * The paging properties against a real Cassandra node, with small buckets so that pages cross many of them. Every
 * try needs an empty store (one shared keyspace, truncated: ~0.5 s), so each property checks its first
 * {@value #TRIES} tries; the RocksDB and in-memory runs check many more of the same properties.
 */
class CassandraPagingPropertiesTest extends PagingProperties {
    private static final int TRIES = 17;
    private static final String KEYSPACE = TestCassandra.freshKeyspace("paging");

    @Override
    protected int checkedTriesPerProperty() {
        return TRIES;
    }

    @Override
    protected StorageEngine openEngine(Clock clock) {
        TestCassandra.truncate(KEYSPACE);
        Map<String, String> options = TestCassandra.options(TestCassandra.contactPoint(), KEYSPACE);
        options.put("bucket.aggregate", "PT1H");
        options.put("bucket.index", "PT10M");
        options.put("log.settle-delay", "PT0S"); // one writer: its own in-flight appends are the only watermark needed
        return CassandraEngine.open(TestCassandra.settings(options, clock));
    }
}
