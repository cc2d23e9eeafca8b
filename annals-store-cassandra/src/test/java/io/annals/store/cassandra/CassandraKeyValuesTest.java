package io.annals.store.cassandra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.KeyValues;
import io.annals.core.api.KeyValues.Batch;
import io.annals.core.api.NewEvent;
import io.annals.core.spi.StorageEngine;
import io.annals.store.cassandra.CassandraKeyValues.Outcome;
import io.annals.testkit.KeyValuesContract;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The key-values contract on the shared node (a keyspace for this class, table {@code kv} emptied before each test),
 * what is stored, the migration that brings the table to older keyspaces, and how an unknown CAS outcome is decided.
 */
class CassandraKeyValuesTest extends KeyValuesContract {
    private static final String KEYSPACE = TestCassandra.freshKeyspace("kv");
    private Map<String, String> options;

    @Override
    protected StorageEngine openEngine(Clock clock) {
        TestCassandra.truncate(KEYSPACE, "kv");
        options = TestCassandra.options(TestCassandra.contactPoint(), KEYSPACE);
        return CassandraEngine.open(TestCassandra.settings(options, clock));
    }

    @Override
    protected StorageEngine reopenEngine(Clock clock) {
        return CassandraEngine.open(TestCassandra.settings(options, clock));
    }

    private static byte[] b(String text) {
        return text.getBytes(UTF_8);
    }

    @Nested
    class Storage {
        private final String keyspace = KEYSPACE;

        private EventStore open() {
            TestCassandra.truncate(keyspace, "kv");
            return EventStores.open(CassandraEngine.open(TestCassandra.settings(
                    TestCassandra.options(TestCassandra.contactPoint(), keyspace), Clock.systemUTC())));
        }

        @Test
        void rowsCarryTheirExpiryAndACassandraTtlAndNoNulls() {
            try (EventStore store = open()) {
                store.keyValues().write(new Batch().put("s", "forever", b("1")).put("s", "lease", b("2"), Duration.ofMillis(59_500)));
            }
            CqlSession cql = TestCassandra.admin();
            Row forever = cql.execute("SELECT expires, ttl(value) AS t FROM " + keyspace + ".kv WHERE space = 's' AND key = 'forever'").one();
            assertThat(forever.getLong("expires")).isEqualTo(CassandraKeyValues.NEVER);
            assertThat(forever.isNull("t")).isTrue();
            Row lease = cql.execute("SELECT expires, ttl(value) AS t, ttl(expires) AS te FROM " + keyspace + ".kv WHERE space = 's' AND key = 'lease'").one();
            assertThat(lease.getInt("t")).as("60 s and one more (see rowTtl)").isBetween(1, 61);
            assertThat(lease.getInt("te")).isEqualTo(lease.getInt("t"));
            assertThat(lease.getLong("expires")).isLessThan(CassandraKeyValues.NEVER);
        }

        @Test
        void aBatchOverSpacesTooLargeForCassandraIsRefusedWithAdvice() {
            try (EventStore store = open()) {
                KeyValues kv = store.keyValues();
                byte[] big = new byte[200 * 1024];
                assertThatThrownBy(() -> kv.write(new Batch().put("views", "v", big).put("checkpoints", "v", b("1"))))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch_size_fail_threshold");
                kv.write(new Batch().put("views", "v", big).put("views", "w", big));
                assertThat(kv.scan("views", "", 10)).hasSize(2);
                assertThat(kv.get("checkpoints", "v")).isEmpty();
            }
        }
    }

    @Nested
    class TwoProcesses {
        @Test
        void claimsAndCountersAreLinearizableAcrossEngines() throws Exception {
            TestCassandra.truncate(KEYSPACE, "kv");
            Map<String, String> o = TestCassandra.options(TestCassandra.contactPoint(), KEYSPACE);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try (EventStore one = EventStores.open(CassandraEngine.open(TestCassandra.settings(o, Clock.systemUTC())));
                 EventStore two = EventStores.open(CassandraEngine.open(TestCassandra.settings(o, Clock.systemUTC())))) {
                List<KeyValues> stores = List.of(one.keyValues(), two.keyValues(), one.keyValues(), two.keyValues());
                List<Future<Boolean>> claims = new ArrayList<>();
                for (int t = 0; t < stores.size(); t++) {
                    KeyValues kv = stores.get(t);
                    byte[] me = b("node-" + t);
                    claims.add(pool.submit(() -> kv.compareAndSet("leases", "p0", null, me, Duration.ofMinutes(1))));
                }
                int winners = 0;
                for (Future<Boolean> c : claims) if (c.get()) winners++;
                assertThat(winners).isEqualTo(1);

                List<Future<?>> increments = new ArrayList<>();
                for (KeyValues kv : stores) {
                    increments.add(pool.submit(() -> {
                        for (int i = 0; i < 5; i++) {
                            while (true) {
                                byte[] current = kv.get("counters", "n").orElse(null);
                                long n = current == null ? 0 : Long.parseLong(new String(current, UTF_8));
                                if (kv.compareAndSet("counters", "n", current, b(Long.toString(n + 1)), null)) break;
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : increments) f.get();
                assertThat(two.keyValues().get("counters", "n")).hasValueSatisfying(v -> assertThat(new String(v, UTF_8)).isEqualTo("20"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    class Migration {
        private final String keyspace = TestCassandra.freshKeyspace("schema_v2");

        private EventStore open(String schema) {
            Map<String, String> o = TestCassandra.options(TestCassandra.contactPoint(), keyspace);
            o.put("schema", schema);
            return EventStores.open(CassandraEngine.open(TestCassandra.settings(o, Clock.systemUTC())));
        }

        @Test
        void aVersion2KeyspaceGainsTheKvTableAndKeepsItsEvents() {
            try (EventStore store = open("create")) {
                store.append(NewEvent.ofType("t").id("old-1").build());
            }
            CqlSession cql = TestCassandra.admin();
            cql.execute(SimpleStatement.newInstance("DROP TABLE " + keyspace + ".kv").setTimeout(Duration.ofSeconds(60)));
            cql.execute("UPDATE " + keyspace + ".schema_version SET version = 2 WHERE component = 'annals'");

            assertThatThrownBy(() -> open("existing")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("schema version 2").hasMessageContaining("CREATE TABLE IF NOT EXISTS " + keyspace + ".kv");
            try (EventStore store = open("create")) {
                assertThat(store.get("old-1")).isPresent();
                store.keyValues().put("s", "k", b("v"));
            }
            try (EventStore store = open("existing")) {
                assertThat(store.keyValues().get("s", "k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("v")));
            }
            assertThat(cql.execute("SELECT version FROM " + keyspace + ".schema_version WHERE component = 'annals'").one().getInt(0))
                    .isEqualTo(Schema.VERSION);
        }
    }

    @Test
    void anUnknownOutcomeIsDecidedByWhatTheSerialReadShows() {
        assertThat(CassandraKeyValues.resolve(null, b("me"), b("me"))).isEqualTo(Outcome.APPLIED);
        assertThat(CassandraKeyValues.resolve(null, b("me"), null)).isEqualTo(Outcome.NOT_APPLIED);
        assertThat(CassandraKeyValues.resolve(null, b("me"), b("other"))).isEqualTo(Outcome.UNKNOWN);
        assertThat(CassandraKeyValues.resolve(b("old"), b("me"), b("old"))).isEqualTo(Outcome.NOT_APPLIED);
        assertThat(CassandraKeyValues.resolve(b("old"), null, null)).as("a delete").isEqualTo(Outcome.APPLIED);
        assertThat(CassandraKeyValues.resolve(b("old"), null, b("old"))).isEqualTo(Outcome.NOT_APPLIED);
        assertThat(CassandraKeyValues.resolve(b("old"), b("me"), b("third"))).isEqualTo(Outcome.UNKNOWN);
    }
}
