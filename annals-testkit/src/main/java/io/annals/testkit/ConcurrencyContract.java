package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.Event;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.NewEvent;
import io.annals.core.api.WrongExpectedVersionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many threads at once: version checks, dedupe and numbering stay exact, and no acknowledged append is lost. */
abstract class ConcurrencyContract extends ContractSupport {
    private static final int THREADS = 8;
    private ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    private <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> f : pool.invokeAll(tasks)) results.add(f.get());
        return results;
    }

    @Test
    void exactlyOneRacerWinsEachVersion() throws Exception {
        AggregateId stream = AggregateId.of("race", "r1");
        int rounds = 15;
        for (int version = 0; version < rounds; version++) {
            long expected = version;
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Callable<Object>> racers = new ArrayList<>();
            for (int r = 0; r < THREADS; r++) {
                String id = "v" + version + "-racer" + r;
                racers.add(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        return store().append(AppendRequest.of(event("race").id(id).aggregate(stream).build())
                                .expecting(ExpectedVersion.exactly(expected))).events().get(0);
                    } catch (WrongExpectedVersionException e) {
                        return e;
                    }
                });
            }
            List<Object> outcomes = runAll(racers);
            List<Appended> winners = outcomes.stream().filter(Appended.class::isInstance).map(Appended.class::cast).toList();
            assertThat(winners).as("winners of version %d", version + 1).hasSize(1);
            assertThat(winners.get(0).streamVersion()).isEqualTo(version + 1);
            outcomes.stream().filter(WrongExpectedVersionException.class::isInstance).map(WrongExpectedVersionException.class::cast)
                    .forEach(e -> assertThat(e.actual()).isEqualTo(expected + 1));
        }
        List<Event> history = historyAll(AggregateQuery.of(stream));
        assertThat(history).extracting(Event::streamVersion).containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, rounds).boxed().toList());
        assertThat(store().streamVersion(stream)).isEqualTo(rounds);
        assertThat(logAll()).hasSize(rounds);
    }

    @Test
    void writersRetryingOnConflictsProduceAGaplessStream() throws Exception {
        AggregateId stream = AggregateId.of("counter", "c1");
        int perThread = 10;
        List<Callable<List<Long>>> writers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int writer = w;
            writers.add(() -> {
                List<Long> won = new ArrayList<>();
                for (int i = 0; i < perThread; ) {
                    long current = store().streamVersion(stream);
                    try {
                        won.add(store().append(AppendRequest.of(event("inc").id("w" + writer + "-" + i).aggregate(stream).build())
                                .expecting(ExpectedVersion.exactly(current))).events().get(0).streamVersion());
                        i++;
                    } catch (WrongExpectedVersionException e) {
                        assertThat(e.actual()).isGreaterThan(current);
                    }
                }
                return won;
            });
        }
        List<Long> all = runAll(writers).stream().flatMap(List::stream).toList();
        int total = THREADS * perThread;
        assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(store().streamVersion(stream)).isEqualTo(total);
        assertThat(historyAll(AggregateQuery.of(stream))).hasSize(total);
    }

    @Test
    void concurrentAppendsToDifferentAggregatesAllLand() throws Exception {
        int perThread = 40;
        List<Callable<List<Appended>>> writers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int writer = w;
            writers.add(() -> {
                List<Appended> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    NewEvent own = event("own").aggregate("writer", "w" + writer).tag("w" + writer).build();
                    NewEvent shared = event("shared").aggregate("shared", "s").build();
                    AppendResult r = i % 5 == 0 ? store().append(own, shared) : store().append(own);
                    mine.addAll(r.events());
                }
                return mine;
            });
        }
        List<Appended> acknowledged = runAll(writers).stream().flatMap(List::stream).toList();

        List<Event> log = logAll();
        assertThat(ids(log)).containsExactlyInAnyOrderElementsOf(acknowledged.stream().map(Appended::id).toList());
        assertThat(new HashSet<>(log.stream().map(Event::position).toList())).hasSize(log.size());
        for (int w = 0; w < THREADS; w++) {
            AggregateId own = AggregateId.of("writer", "w" + w);
            assertThat(store().streamVersion(own)).isEqualTo(perThread);
            assertThat(historyAll(AggregateQuery.of(own))).extracting(Event::streamVersion)
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, perThread).boxed().toList());
            List<Long> inLog = log.stream().filter(e -> own.equals(e.aggregate())).map(Event::streamVersion).toList();
            assertThat(inLog).as("the log shows each stream in append order").containsExactlyElementsOf(
                    LongStream.rangeClosed(1, perThread).boxed().toList());
        }
        long sharedCount = THREADS * (long) (perThread / 5);
        assertThat(store().streamVersion(AggregateId.of("shared", "s"))).isEqualTo(sharedCount);
        assertThat(log.stream().filter(e -> e.type().equals("shared")).map(Event::streamVersion).toList())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, sharedCount).boxed().toList());
    }

    @Test
    void concurrentRepeatsOfOneEventStoreItOnce() throws Exception {
        for (int round = 0; round < 10; round++) {
            String id = "same-" + round;
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Callable<Appended>> senders = new ArrayList<>();
            for (int s = 0; s < THREADS; s++) {
                senders.add(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return store().append(event("idem").id(id).aggregate("idem", "i").payload("{\"n\":1}").build()).events().get(0);
                });
            }
            List<Appended> answers = runAll(senders);
            assertThat(answers).filteredOn(a -> !a.duplicate()).as("round %d", round).hasSize(1);
            assertThat(answers).extracting(Appended::position).containsOnly(answers.get(0).position());
            assertThat(answers).extracting(Appended::streamVersion).containsOnly((long) round + 1);
        }
        assertThat(logAll()).hasSize(10);
        assertThat(store().streamVersion(AggregateId.of("idem", "i"))).isEqualTo(10);
    }

    @Test
    void concurrentAppendsOfOneIdWithDifferentContentStoreExactlyOne() throws Exception {
        for (int round = 0; round < 10; round++) {
            String id = "contested-" + round;
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Callable<Object>> senders = new ArrayList<>();
            for (int s = 0; s < THREADS; s++) {
                String payload = "{\"sender\":" + s + "}";
                senders.add(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        return store().append(event("contested").id(id).payload(payload).build()).events().get(0);
                    } catch (io.annals.core.api.DuplicateIdConflictException e) {
                        return e;
                    }
                });
            }
            List<Object> outcomes = runAll(senders);
            assertThat(outcomes).filteredOn(Appended.class::isInstance).as("round %d", round).hasSize(1)
                    .allSatisfy(a -> assertThat(((Appended) a).duplicate()).isFalse());
            assertThat(outcomes).filteredOn(io.annals.core.api.DuplicateIdConflictException.class::isInstance).hasSize(THREADS - 1);
        }
        assertThat(logAll()).hasSize(10);
    }

    @Test
    void refusedAppendsAmongConcurrentOnesLeaveNoTrace() throws Exception {
        store().append(event("taken").id("taken").payload("0").build());
        int perThread = 30;
        List<Callable<List<String>>> writers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            int writer = w;
            writers.add(() -> {
                List<String> landed = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    String prefix = "w" + writer + "-" + i;
                    boolean refused = i % 3 == 0;
                    List<NewEvent> batch = List.of(event("mixed").id(prefix + "-a").aggregate("mixed", "w" + writer).build(),
                            refused ? event("taken").id("taken").payload("1").build() : event("mixed").id(prefix + "-b").build());
                    try {
                        store().append(batch);
                        landed.add(prefix + "-a");
                        landed.add(prefix + "-b");
                    } catch (io.annals.core.api.DuplicateIdConflictException e) {
                        assertThat(refused).isTrue();
                    }
                }
                return landed;
            });
        }
        List<String> landed = runAll(writers).stream().flatMap(List::stream).toList();
        List<Event> log = logAll();
        assertThat(ids(log)).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(java.util.stream.Stream.of("taken"), landed.stream()).toList());
        for (int w = 0; w < THREADS; w++) {
            AggregateId stream = AggregateId.of("mixed", "w" + w);
            assertThat(historyAll(AggregateQuery.of(stream))).extracting(Event::streamVersion)
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, perThread - perThread / 3).boxed().toList());
        }
        assertThat(stored("taken").payload().json()).isEqualTo("0");
    }

    @Test
    void onlyOneNoStreamAppendCreatesAStream() throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        Map<String, Boolean> won = new ConcurrentHashMap<>();
        List<Callable<Void>> racers = new ArrayList<>();
        for (int r = 0; r < THREADS; r++) {
            String id = "creator-" + r;
            racers.add(() -> {
                start.await(10, TimeUnit.SECONDS);
                try {
                    store().append(AppendRequest.of(event("created").id(id).aggregate("new", "n").build(),
                            event("configured").id(id + "-2").aggregate("new", "n").build()).expecting(ExpectedVersion.noStream()));
                    won.put(id, true);
                } catch (WrongExpectedVersionException e) {
                    assertThat(e.actual()).isEqualTo(2);
                }
                return null;
            });
        }
        runAll(racers);
        assertThat(won).hasSize(1);
        String winner = won.keySet().iterator().next();
        assertThat(ids(logAll())).containsExactly(winner, winner + "-2");
    }

    @Test
    void manyAsyncAppendsInFlightAreAllNumberedOnce() {
        AggregateId stream = AggregateId.of("async", "a");
        List<CompletableFuture<AppendResult>> inFlight = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            inFlight.add(store().appendAsync(AppendRequest.of(event("async").id("async-" + i).aggregate(stream).build()))
                    .toCompletableFuture());
        }
        List<Long> versions = inFlight.stream().map(CompletableFuture::join).map(r -> r.events().get(0).streamVersion()).toList();
        assertThat(versions).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
        assertThat(historyAll(AggregateQuery.of(stream).limit(7))).hasSize(200);
    }

    /**
     * Without ids an engine may take appends that have nothing to wait for without a thread of their own; appends of
     * one aggregate still get each version once, blocking and asynchronous ones mixed.
     */
    @Test
    void manyAsyncAppendsWithServerIdsAreAllNumberedOnce() {
        List<AggregateId> streams = new ArrayList<>();
        Map<AggregateId, Integer> appended = new HashMap<>();
        List<AppendResult> results = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            streams.add(AggregateId.of("async", "s" + k));
            results.add(store().append(event("first").aggregate(streams.get(k)).build()));
            appended.put(streams.get(k), 1);
        }
        List<CompletableFuture<AppendResult>> inFlight = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            AggregateId stream = streams.get(i % streams.size());
            inFlight.add(store().appendAsync(AppendRequest.of(event("async").aggregate(stream).tag("t" + (i % 3)).build()))
                    .toCompletableFuture());
            appended.merge(stream, 1, Integer::sum);
            if (i % 25 == 7) {
                results.add(store().append(event("blocking").aggregate(stream).build()));
                appended.merge(stream, 1, Integer::sum);
            }
        }
        for (CompletableFuture<AppendResult> f : inFlight) results.add(f.join());
        Map<AggregateId, Map<String, Long>> versions = new HashMap<>();
        for (AppendResult r : results) {
            Appended a = r.events().get(0);
            Event stored = store().get(a.id()).orElseThrow();
            assertThat(stored.streamVersion()).isEqualTo(a.streamVersion());
            versions.computeIfAbsent(stored.aggregate(), x -> new HashMap<>()).put(a.id(), a.streamVersion());
        }
        for (AggregateId stream : streams) {
            Map<String, Long> of = versions.get(stream);
            assertThat(of.values()).as(stream.toString())
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, appended.get(stream)).boxed().toList());
            List<Event> history = historyAll(AggregateQuery.of(stream).limit(4));
            assertThat(ids(history)).containsExactlyInAnyOrderElementsOf(of.keySet());
            assertThat(history).allSatisfy(e -> assertThat(e.streamVersion()).isEqualTo(of.get(e.id())));
        }
        List<Event> log = logAll(11);
        assertThat(ids(log)).hasSize(results.size()).doesNotHaveDuplicates();
        Map<AggregateId, Long> lastInLog = new HashMap<>();
        for (Event e : log) {
            Long before = lastInLog.put(e.aggregate(), e.streamVersion());
            assertThat(e.streamVersion()).as("versions of %s in log order", e.aggregate()).isEqualTo(before == null ? 1 : before + 1);
        }
    }

    @Test
    void readersSeeOnlyWholeBatchesWhileWritersAppend() throws Exception {
        int batches = 60;
        Callable<Void> writer = () -> {
            for (int b = 0; b < batches; b++) {
                List<NewEvent> batch = new ArrayList<>();
                for (int i = 0; i < 5; i++) batch.add(event("whole").id("b" + b + "-" + i).tag("b" + b).aggregate("whole", "w").build());
                store().append(batch);
            }
            return null;
        };
        Callable<Void> reader = () -> {
            for (int r = 0; r < 40; r++) {
                List<Event> log = logAll(7);
                Map<String, Integer> perBatch = new ConcurrentHashMap<>();
                for (Event e : log) perBatch.merge(e.tags().get(0), 1, Integer::sum);
                // a reader may catch a batch only as a whole
                assertThat(perBatch.values()).allMatch(n -> n == 5);
                long version = store().streamVersion(AggregateId.of("whole", "w"));
                assertThat(version % 5).as("stream version between batches").isZero();
            }
            return null;
        };
        runAll(List.of(writer, reader, reader));
        assertThat(logAll()).hasSize(batches * 5);
    }
}
