package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Query;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code index-writes = async}: an append is acknowledged once its log, event and history rows are written; the
 * type, tag and time index rows follow. When the process dies before writing them, another engine's repair pass
 * (after {@code writer.timeout}) writes them from the log, so every acknowledged event reaches every index.
 */
class AsyncIndexRepairTest {
    private static final String KEYSPACE = TestCassandra.freshKeyspace("asyncidx");

    private static CassandraEngine open() {
        Map<String, String> options = TestCassandra.options(TestCassandra.contactPoint(), KEYSPACE);
        options.put("index-writes", "async");
        options.put("log.settle-delay", "PT0S");
        options.put("repair.interval", "PT0.2S");
        options.put("writer.timeout", "PT1S");
        return CassandraEngine.open(TestCassandra.settings(options, Clock.systemUTC()));
    }

    @BeforeEach
    void empty() {
        TestCassandra.truncate(KEYSPACE);
    }

    private static List<NewEvent> events(String prefix, int n) {
        List<NewEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++)
            out.add(NewEvent.ofType("async." + prefix).id(prefix + i).aggregate("acc", prefix).tag("t-" + prefix).build());
        return out;
    }

    @Test
    void indexesFollowTheAcknowledgement() {
        try (EventStore store = EventStores.open(open())) {
            for (NewEvent e : events("a", 30)) store.append(e);
            // the history is written before the acknowledgement, the indexes soon after
            assertThat(store.readAggregate(AggregateQuery.of(AggregateId.of("acc", "a"))).events()).hasSize(30);
            eventually(() -> store.query(Query.ofType("async.a")).events().size() == 30);
            eventually(() -> store.query(Query.ofTag("t-a")).events().size() == 30);
        }
    }

    @Test
    void acknowledgedEventsReachEveryIndexAfterTheWriterDies() {
        CassandraEngine crashing = open();
        EventStore store = EventStores.open(crashing);
        crashing.committer().dropAsyncIndexWrites(); // the process dies right after each acknowledgement
        List<String> acknowledged = new ArrayList<>();
        for (List<NewEvent> batch : List.of(events("b", 5), events("c", 7))) {
            store.append(batch).events().forEach(a -> acknowledged.add(a.id()));
        }
        for (NewEvent e : events("d", 8)) acknowledged.add(store.append(e).events().get(0).id());
        assertThat(store.query(Query.ofType("async.b")).events()).as("no index row was written").isEmpty();
        assertThat(store.get("d7")).isPresent();
        crashing.crash();

        try (EventStore after = EventStores.open(open())) {
            eventually(() -> after.query(Query.all().limit(100)).events().size() == acknowledged.size());
            assertThat(after.query(Query.all().limit(100)).events()).extracting(Event::id)
                    .containsExactlyInAnyOrderElementsOf(acknowledged);
            for (String p : List.of("b", "c", "d")) {
                int n = p.equals("b") ? 5 : p.equals("c") ? 7 : 8;
                assertThat(after.query(Query.ofType("async." + p)).events()).hasSize(n);
                assertThat(after.query(Query.ofTag("t-" + p)).events()).hasSize(n);
                assertThat(after.readAggregate(AggregateQuery.of(AggregateId.of("acc", p))).events()).hasSize(n);
                assertThat(after.streamVersion(AggregateId.of("acc", p))).isEqualTo(n);
            }
        }
    }

    private static void eventually(Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("condition met within 30 s").isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
