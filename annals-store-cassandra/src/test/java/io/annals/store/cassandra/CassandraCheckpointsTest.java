package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.spi.StorageEngine;
import io.annals.testkit.CheckpointsContract;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The checkpoints contract on a real node, and the schema migration that brings the table to older keyspaces. */
class CassandraCheckpointsTest extends CheckpointsContract {
    private static final String KEYSPACE = TestCassandra.freshKeyspace("checkpoints");
    private Map<String, String> options;
    private CassandraEngine engine;

    @Override
    protected StorageEngine openEngine(Clock clock) {
        TestCassandra.truncate(KEYSPACE);
        options = TestCassandra.options(TestCassandra.contactPoint(), KEYSPACE);
        options.put("log.settle-delay", "PT0.1S");
        engine = CassandraEngine.open(TestCassandra.settings(options, clock));
        return engine;
    }

    @Override
    protected StorageEngine reopenEngine(Clock clock) {
        engine.awaitLogSettled();
        engine = CassandraEngine.open(TestCassandra.settings(options, clock));
        return engine;
    }

    @Override
    protected void awaitLogSettled() {
        engine.awaitLogSettled();
    }

    @Nested
    class Migration {
        private final String keyspace = TestCassandra.freshKeyspace("schema_v1");

        private EventStore open(String schema) {
            Map<String, String> o = TestCassandra.options(TestCassandra.contactPoint(), keyspace);
            o.put("schema", schema);
            return EventStores.open(CassandraEngine.open(TestCassandra.settings(o, Clock.systemUTC())));
        }

        /** Makes the keyspace look like one made by schema version 1: no checkpoints table, version 1 recorded. */
        private void downgradeToVersion1() {
            CqlSession cql = TestCassandra.admin();
            cql.execute(SimpleStatement.newInstance("DROP TABLE " + keyspace + ".checkpoints").setTimeout(Duration.ofSeconds(60)));
            cql.execute("UPDATE " + keyspace + ".schema_version SET version = 1 WHERE component = 'annals'");
        }

        @Test
        void aVersion1KeyspaceGainsTheCheckpointsTableAndKeepsItsEvents() {
            try (EventStore store = open("create")) {
                store.append(NewEvent.ofType("t").id("old-1").build());
            }
            downgradeToVersion1();

            assertThatThrownBy(() -> open("existing")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("schema version 1").hasMessageContaining("CREATE TABLE IF NOT EXISTS " + keyspace + ".checkpoints");

            try (EventStore store = open("create")) {
                assertThat(store.get("old-1")).isPresent();
                assertThat(store.checkpoints().get("relay")).isEmpty();
                store.checkpoints().put("relay", Position.start());
            }
            try (EventStore store = open("existing")) {
                assertThat(store.checkpoints().get("relay")).contains(Position.start());
            }
        }
    }
}
