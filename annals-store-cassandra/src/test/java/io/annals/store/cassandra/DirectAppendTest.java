package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.NewEvent;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An asynchronous append with nothing to wait for before its commit (server ids, no expected version, its stream
 * head cached) is planned on the caller's thread, without a pool thread; the others still take the pool.
 */
class DirectAppendTest {
    private static final String KEYSPACE = TestCassandra.freshKeyspace("direct");

    @Test
    void onlyAppendsWithNothingToWaitForGoDirect() {
        Map<String, String> options = TestCassandra.options(TestCassandra.contactPoint(), KEYSPACE);
        options.put("log.settle-delay", "PT0S");
        CassandraEngine engine = CassandraEngine.open(TestCassandra.settings(options, Clock.systemUTC()));
        try (EventStore store = EventStores.open(engine)) {
            AggregateId a = AggregateId.of("direct", "d1");
            store.appendAsync(AppendRequest.of(NewEvent.ofType("first").aggregate(a).build())).toCompletableFuture().join();
            assertThat(engine.writer().directAppends.sum()).as("a head not cached yet is read on a pool thread").isZero();
            for (int i = 0; i < 10; i++)
                store.appendAsync(AppendRequest.of(NewEvent.ofType("next").aggregate(a).build())).toCompletableFuture().join();
            assertThat(engine.writer().directAppends.sum()).isEqualTo(10);

            store.appendAsync(AppendRequest.of(NewEvent.ofType("with-id").id("client-1").aggregate(a).build())).toCompletableFuture().join();
            store.appendAsync(AppendRequest.of(NewEvent.ofType("checked").aggregate(a).build()).expecting(ExpectedVersion.exactly(12)))
                    .toCompletableFuture().join();
            assertThat(engine.writer().directAppends.sum()).as("client ids and expected versions take the pool").isEqualTo(10);
            assertThat(store.streamVersion(a)).isEqualTo(13);
        }
    }
}
