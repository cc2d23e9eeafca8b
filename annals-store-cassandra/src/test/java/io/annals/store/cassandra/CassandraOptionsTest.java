package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.spi.EngineSettings;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options are checked when the engine opens; the bucket sizes a keyspace was created with cannot change. */
class CassandraOptionsTest {

    private static EngineSettings settings(Map<String, String> options) {
        return new EngineSettings(null, options, Clock.systemUTC());
    }

    @Test
    void badOptionsFailTheOpenWithAMessageThatSaysWhatIsAccepted() {
        assertThatThrownBy(() -> CassandraEngine.open(settings(Map.of("contact-point", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown cassandra option 'contact-point'");
        assertThatThrownBy(() -> CassandraEngine.open(settings(Map.of("replication", "Simple:3"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SimpleStrategy:<factor>");
        assertThatThrownBy(() -> CassandraEngine.open(settings(Map.of("consistency.write", "MOST"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LOCAL_QUORUM");
        assertThatThrownBy(() -> CassandraEngine.open(settings(Map.of("index-writes", "later"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[sync, async]");
        assertThatThrownBy(() -> CassandraEngine.open(settings(Map.of("bucket.index", "PT0S"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket.index");
        assertThatThrownBy(() -> CassandraEngine.open(settings(Map.of("keyspace", "no-dashes"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyspace");
    }

    @Test
    void replicationTakesBothStrategies() {
        assertThat(CassandraConfig.replicationCql("SimpleStrategy:3")).isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 3}");
        assertThat(CassandraConfig.replicationCql("NetworkTopologyStrategy:dc1=3,dc2=2"))
                .isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}");
    }

    @Test
    void aKeyspaceKeepsTheBucketSizesItWasCreatedWith() {
        String keyspace = TestCassandra.freshKeyspace("options");
        Map<String, String> options = new HashMap<>(TestCassandra.options(TestCassandra.contactPoint(), keyspace));
        options.put("bucket.index", "PT10M");
        try (EventStore store = EventStores.open("cassandra", settings(options))) {
            store.append(NewEvent.ofType("x").build());
        }
        options.put("bucket.index", "PT1H");
        assertThatThrownBy(() -> CassandraEngine.open(settings(options)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket.index = PT10M");
        TestCassandra.admin().execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("DROP KEYSPACE " + keyspace)
                .setTimeout(java.time.Duration.ofSeconds(60)));
    }

    @Test
    void operatorsMayCreateTheSchemaThemselves() {
        String keyspace = TestCassandra.freshKeyspace("byhand");
        Map<String, String> options = new HashMap<>(TestCassandra.options(TestCassandra.contactPoint(), keyspace));
        options.put("schema", "existing");
        assertThatThrownBy(() -> CassandraEngine.open(settings(options)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds no annals schema");

        for (String cql : CassandraEngine.schemaCql(settings(options)))
            TestCassandra.admin().execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(cql)
                    .setTimeout(java.time.Duration.ofSeconds(30)));
        try (EventStore store = EventStores.open("cassandra", settings(options))) {
            store.append(NewEvent.ofType("x").id("by-hand").build());
            assertThat(store.get("by-hand")).isPresent();
        }
        TestCassandra.admin().execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("DROP KEYSPACE " + keyspace)
                .setTimeout(java.time.Duration.ofSeconds(60)));
    }
}
