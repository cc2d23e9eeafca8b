package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreUnavailableException;
import io.annals.devservers.CassandraNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults on a node of its own (commit log synced before each acknowledgement, so that a killed node keeps what it
 * acknowledged): Cassandra killed under load and started again; an engine opened while Cassandra is down. The
 * engine is never reopened: it fails calls with {@link StoreUnavailableException} while Cassandra is away and
 * serves again once the driver has reconnected.
 */
class CassandraFaultTest {
    private static CassandraNode node;

    @BeforeAll
    static void startNode() {
        node = CassandraNode.builder().commitlogSyncBatch().build().start();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) node.close();
    }

    @BeforeEach
    void nodeRuns() {
        if (!node.isRunning()) node.start();
    }

    private static CassandraEngine open(String keyspace) {
        String cp = node.contactPoint().getHostString() + ":" + node.contactPoint().getPort();
        Map<String, String> options = TestCassandra.options(cp, keyspace);
        options.put("request-timeout", "PT2S");
        options.put("repair.interval", "PT0.5S");
        options.put("log.settle-delay", "PT0S");
        return CassandraEngine.open(TestCassandra.settings(options, Clock.systemUTC()));
    }

    @Test
    void everyAcknowledgedEventSurvivesAKillUnderLoadAndIsIndexed() throws Exception {
        try (EventStore store = EventStores.open(open("faults"))) {
            ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String writer = "w" + w;
                Thread t = new Thread(() -> {
                    for (int i = 0; running.get(); i++) {
                        List<NewEvent> batch = new ArrayList<>();
                        for (int k = 0; k <= i % 2; k++)
                            batch.add(NewEvent.ofType("load").id(writer + "-" + i + "-" + k).aggregate("writer", writer).tag(writer).build());
                        try {
                            store.append(batch).events().forEach(a -> acknowledged.add(a.id()));
                        } catch (RuntimeException e) {
                            failures.add(e);
                            pause(50);
                        }
                    }
                }, writer);
                writers.add(t);
                t.start();
            }
            pause(1500);
            node.kill();
            int before = acknowledged.size();

            assertThatThrownBy(() -> store.append(NewEvent.ofType("down").build())).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.get("w0-0-0")).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.query(Query.ofTag("w0"))).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.readLog(Position.start(), 10)).isInstanceOf(StoreUnavailableException.class);

            node.start();
            eventually(() -> acknowledged.size() > before + 20, Duration.ofSeconds(90));
            running.set(false);
            for (Thread t : writers) t.join();

            assertThat(failures).as("failures while Cassandra was away").isNotEmpty()
                    .allSatisfy(f -> assertThat(f).isInstanceOf(StoreUnavailableException.class));
            // appends cut off after their commit are finished by the engine's retries
            Set<String> all = new HashSet<>(acknowledged);
            eventually(() -> {
                List<String> indexed = new ArrayList<>();
                for (int w = 0; w < 4; w++) queryAll(store, Query.ofTag("w" + w)).forEach(e -> indexed.add(e.id()));
                return indexed.containsAll(all);
            }, Duration.ofSeconds(30));
            for (String id : acknowledged) assertThat(store.get(id)).as(id).isPresent();
            List<String> log = new ArrayList<>();
            for (var page = store.readLog(Position.start(), 1000); !page.events().isEmpty(); page = store.readLog(page.next(), 1000))
                page.events().forEach(e -> log.add(e.id()));
            assertThat(log).containsAll(all);
            assertThat(new HashSet<>(log)).as("no log entry twice").hasSize(log.size());
            List<String> byType = queryAll(store, Query.ofType("load")).stream().map(Event::id).toList();
            assertThat(byType).containsAll(all);
            for (int w = 0; w < 4; w++) {
                AggregateId stream = AggregateId.of("writer", "w" + w);
                List<Event> history = new ArrayList<>();
                var q = AggregateQuery.of(stream);
                for (var page = store.readAggregate(q); ; page = store.readAggregate(q.after(page.next()))) {
                    history.addAll(page.events());
                    if (!page.hasMore()) break;
                }
                String prefix = "w" + w + "-";
                assertThat(history.stream().map(Event::id).toList()).containsAll(
                        all.stream().filter(id -> id.startsWith(prefix)).toList());
                assertThat(history).extracting(Event::streamVersion).doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void anEngineOpenedWhileCassandraIsDownServesOnceItReturns() {
        node.stop();
        try (EventStore store = EventStores.open(open("late_schema"))) {
            assertThatThrownBy(() -> store.append(NewEvent.ofType("early").build())).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.streamVersion(AggregateId.of("a", "1"))).isInstanceOf(StoreUnavailableException.class);
            node.start();
            eventually(() -> {
                try {
                    store.append(NewEvent.ofType("late").id("late-1").aggregate("a", "1").tag("late").build());
                    return true;
                } catch (StoreUnavailableException e) {
                    return false;
                }
            }, Duration.ofSeconds(90));
            assertThat(store.get("late-1")).isPresent();
            assertThat(store.query(Query.ofTag("late")).events()).extracting(Event::id).containsExactly("late-1");
            assertThat(store.streamVersion(AggregateId.of("a", "1"))).isEqualTo(1);
        }
    }

    private static List<Event> queryAll(EventStore store, Query first) {
        List<Event> out = new ArrayList<>();
        Query q = first.limit(1000);
        while (true) {
            var page = store.query(q);
            out.addAll(page.events());
            if (!page.hasMore()) return out;
            q = q.after(page.next());
        }
    }

    private static void eventually(Supplier<Boolean> condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                if (condition.get()) return;
            } catch (StoreUnavailableException e) {
                // not yet
            }
            assertThat(System.nanoTime()).as("condition met within %s", within).isLessThan(deadline);
            pause(200);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
