package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.WrongExpectedVersionException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines on one keyspace play two annals processes: their in-process locks and head caches know nothing of
 * each other, so the conditional writes on stream heads and event rows must decide. Appends without an expected
 * version need {@code stream-heads = lwt} for that; in the default mode ({@code checked}) only appends that ask for
 * an expected version are decided across processes.
 */
class TwoProcessesTest {
    private static final String KEYSPACE = TestCassandra.freshKeyspace("twoprocs");

    private static EventStore open() {
        return open("lwt");
    }

    private static EventStore open(String heads) {
        Map<String, String> options = TestCassandra.options(TestCassandra.contactPoint(), KEYSPACE);
        options.put("log.settle-delay", "PT0.1S");
        options.put("stream-heads", heads);
        return EventStores.open(CassandraEngine.open(TestCassandra.settings(options, Clock.systemUTC())));
    }

    @BeforeEach
    void empty() {
        TestCassandra.truncate(KEYSPACE);
    }

    @Test
    void aHeadCachedByOneProcessAndMovedByTheOtherIsCaughtByTheConditionalWrite() {
        AggregateId x = AggregateId.of("acc", "x");
        try (EventStore a = open(); EventStore b = open()) {
            a.append(NewEvent.ofType("e").aggregate(x).build()); // a caches x at 1
            b.append(NewEvent.ofType("e").aggregate(x).build(), NewEvent.ofType("e").aggregate(x).build()); // x at 3

            // a's head move for x fails; the stream y it created in the same try is undone, then both are numbered again
            AppendResult r = a.append(NewEvent.ofType("e").id("y1").aggregate("acc", "y").build(),
                    NewEvent.ofType("e").id("x4").aggregate(x).build());
            assertThat(r.events()).extracting(Appended::streamVersion).containsExactly(1L, 4L);
            assertThat(b.streamVersion(AggregateId.of("acc", "y"))).isEqualTo(1);
            assertThat(b.streamVersion(x)).isEqualTo(4);

            b.append(NewEvent.ofType("e").aggregate(x).build()); // x at 5, a still caches 4
            assertThatThrownBy(() -> a.append(AppendRequest.of(NewEvent.ofType("e").aggregate(x).build())
                    .expecting(ExpectedVersion.exactly(4))))
                    .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actual()).isEqualTo(5));
            assertThat(a.append(AppendRequest.of(NewEvent.ofType("e").aggregate(x).build()).expecting(ExpectedVersion.exactly(5)))
                    .events().get(0).streamVersion()).isEqualTo(6);
            List<Event> history = a.readAggregate(AggregateQuery.of(x)).events();
            assertThat(history).extracting(Event::streamVersion).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
        }
    }

    @Test
    void racingAppendsFromTwoProcessesNumberOneStreamWithoutGapsAndStoreEachIdOnce() throws Exception {
        AggregateId stream = AggregateId.of("race", "r");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (EventStore a = open(); EventStore b = open()) {
            List<Callable<List<Appended>>> racers = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(8);
            for (int t = 0; t < 8; t++) {
                EventStore store = t % 2 == 0 ? a : b;
                racers.add(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    List<Appended> mine = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        // every racer sends the same ids: each is stored once, the others are duplicates
                        mine.addAll(store.append(NewEvent.ofType("r").id("same-" + i).aggregate(stream).build()).events());
                        mine.addAll(store.append(NewEvent.ofType("r").aggregate(stream).build()).events());
                    }
                    return mine;
                });
            }
            List<Appended> all = new ArrayList<>();
            for (Future<List<Appended>> f : pool.invokeAll(racers)) all.addAll(f.get());
            List<Appended> stored = all.stream().filter(x -> !x.duplicate()).toList();
            assertThat(stored).hasSize(10 + 80);
            assertThat(stored).extracting(Appended::streamVersion).doesNotHaveDuplicates()
                    .allSatisfy(v -> assertThat(v).isBetween(1L, 90L));
            for (int i = 0; i < 10; i++) {
                String id = "same-" + i;
                assertThat(all.stream().filter(x -> x.id().equals(id)).map(Appended::position).distinct()).hasSize(1);
            }
            assertThat(a.streamVersion(stream)).isEqualTo(90);
            List<String> log = new ArrayList<>();
            Thread.sleep(200); // the settle delay
            for (var page = a.readLog(Position.start(), 1000); !page.events().isEmpty(); page = a.readLog(page.next(), 1000))
                page.events().forEach(e -> log.add(e.id()));
            assertThat(log).hasSize(90).doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void inTheDefaultModeRacingAppendsWithExpectedVersionsFromTwoProcessesTakeEachVersionOnce() throws Exception {
        AggregateId stream = AggregateId.of("race", "checked");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (EventStore a = open("checked"); EventStore b = open("checked")) {
            a.append(NewEvent.ofType("first").aggregate(stream).build()); // a caches the head at 1
            List<Callable<List<Long>>> racers = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(8);
            for (int t = 0; t < 8; t++) {
                EventStore store = t % 2 == 0 ? a : b;
                racers.add(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        long seen = store.streamVersion(stream);
                        try {
                            mine.add(store.append(AppendRequest.of(NewEvent.ofType("r").aggregate(stream).build())
                                    .expecting(ExpectedVersion.exactly(seen))).events().get(0).streamVersion());
                        } catch (WrongExpectedVersionException e) {
                            assertThat(e.actual()).isGreaterThan(seen);
                        }
                    }
                    return mine;
                });
            }
            List<Long> won = new ArrayList<>();
            for (Future<List<Long>> f : pool.invokeAll(racers)) won.addAll(f.get());
            assertThat(won).isNotEmpty().doesNotHaveDuplicates();
            long head = a.streamVersion(stream);
            assertThat(head).isEqualTo(1 + won.size()).isEqualTo(b.streamVersion(stream));
            assertThat(a.readAggregate(AggregateQuery.of(stream).limit(1000)).events()).extracting(Event::streamVersion)
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, head).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
    }
}
