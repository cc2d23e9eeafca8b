package io.annals.server.subscriptions;

import static io.annals.server.subscriptions.Recorder.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogFilter;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.spi.EngineSettings;
import io.annals.server.subscriptions.SubscriptionException.Reason;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Durable subscriptions in process, on RocksDB in a temporary directory (and on Cassandra in a subclass). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DurableSubscriptionsTest {
    private static final DurableSubscriptions.Options OPTIONS =
            new DurableSubscriptions.Options(1000, Duration.ofMinutes(10), Duration.ofHours(1)); // no session timeout in a test on a busy machine

    @TempDir
    Path dir;
    private EventStore store;
    private DurableSubscriptions subs;
    private int appended;

    @BeforeEach
    void open() {
        open(OPTIONS);
    }

    private void open(DurableSubscriptions.Options options) {
        store = openStore(dir);
        subs = new DurableSubscriptions(store, options);
    }

    /** The store under test, opened again on a restart (the same data). */
    protected EventStore openStore(Path dir) {
        return EventStores.open("rocksdb", new EngineSettings(dir, Map.of("sync", "none"), Clock.systemUTC()));
    }

    /** The whole log once it holds {@code count} events (an engine with a settle delay shows them a little later). */
    private List<Event> logOf(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Event> log = store.readLog(Position.start(), 10_000).events();
        while (log.size() < count && System.nanoTime() < deadline) {
            sleep(20);
            log = store.readLog(Position.start(), 10_000).events();
        }
        return log;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void close() {
        if (subs != null) subs.close();
        if (store != null) store.close();
    }

    private void restart(DurableSubscriptions.Options options) {
        subs.close();
        store.close();
        open(options);
    }

    /** {@code count} events over {@code aggregates} aggregates (every tenth without one), returned in log order. */
    private List<Event> append(String prefix, int count, int aggregates) {
        for (int i = 0; i < count; i++) {
            NewEvent.Builder e = NewEvent.ofType("t").id(prefix + i);
            if (i % 10 != 9) e.aggregate("acc", "a" + (i % aggregates));
            store.append(e.build());
            appended++;
        }
        return logOf(appended);
    }

    private static void assertEachAggregateInAppendOrder(List<Event> received) {
        Map<AggregateId, List<Long>> versions = new HashMap<>();
        for (Event e : received) if (e.aggregate() != null) versions.computeIfAbsent(e.aggregate(), a -> new ArrayList<>()).add(e.streamVersion());
        versions.forEach((a, v) -> assertThat(v).as(a.toString()).isSorted().doesNotHaveDuplicates());
    }

    @Test
    void twoConsumersShareTheWorkWithEachAggregateOnOneConsumerInOrder() {
        subs.create("s", SubscriptionSpec.fromStart().partitions(6));
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        DurableConsumer c1 = subs.join("s", "c1", r1);
        DurableConsumer c2 = subs.join("s", "c2", r2);
        assertThat(c1.partitions()).containsExactly(0, 2, 4);
        assertThat(c2.partitions()).containsExactly(1, 3, 5);
        List<Event> log = append("e", 300, 17);

        await("every event is delivered", () -> r1.deliveries.size() + r2.deliveries.size() >= log.size());
        assertThat(r1.deliveries).isNotEmpty().allSatisfy(d -> assertThat(c1.partitions()).contains(d.partition()));
        assertThat(r2.deliveries).isNotEmpty().allSatisfy(d -> assertThat(c2.partitions()).contains(d.partition()));
        List<String> all = new ArrayList<>(r1.ids());
        all.addAll(r2.ids());
        assertThat(all).containsExactlyInAnyOrderElementsOf(Recorder.idsOf(log));
        Set<AggregateId> onC1 = new HashSet<>();
        for (Recorder.Delivery d : r1.deliveries) if (d.event().aggregate() != null) onC1.add(d.event().aggregate());
        for (Recorder.Delivery d : r2.deliveries) assertThat(onC1).doesNotContain(d.event().aggregate());
        assertEachAggregateInAppendOrder(r1.deliveries.stream().map(Recorder.Delivery::event).toList());
        assertEachAggregateInAppendOrder(r2.deliveries.stream().map(Recorder.Delivery::event).toList());
        for (Recorder.Delivery d : r1.deliveries) assertThat(subs.spec("s").orElseThrow().partitionOf(d.event())).isEqualTo(d.partition());
    }

    @Test
    void whenAConsumerLeavesTheOtherGetsItsPartitionsAndEveryUnacknowledgedEvent() {
        subs.create("s", SubscriptionSpec.fromStart().partitions(4));
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        DurableConsumer c1 = subs.join("s", "c1", r1);
        DurableConsumer c2 = subs.join("s", "c2", r2);
        List<Event> log = append("e", 200, 13);
        await("every event is delivered", () -> r1.deliveries.size() + r2.deliveries.size() >= log.size());
        r2.ackAll(c2);
        int acked = r2.deliveries.size();
        // c1 acknowledges half of what it got, on each partition
        Map<Integer, List<Position>> c1ByPartition = new HashMap<>();
        for (Recorder.Delivery d : r1.deliveries) c1ByPartition.computeIfAbsent(d.partition(), p -> new ArrayList<>()).add(d.event().position());
        Set<String> handledByC1 = new HashSet<>();
        for (Map.Entry<Integer, List<Position>> e : c1ByPartition.entrySet()) {
            List<Position> ps = e.getValue();
            c1.ack(e.getKey(), ps.get(ps.size() / 2));
            for (Recorder.Delivery d : r1.deliveries)
                if (d.partition() == e.getKey() && ps.indexOf(d.event().position()) <= ps.size() / 2) handledByC1.add(d.event().id());
        }

        c1.close();
        assertThat(r1.closedReason).contains("closed");
        assertThat(c2.partitions()).containsExactly(0, 1, 2, 3);
        Set<String> expected = new HashSet<>(Recorder.idsOf(log));
        expected.removeAll(handledByC1);
        expected.removeAll(r2.ids().subList(0, acked));
        await("c1's unacknowledged events reach c2", () -> r2.deliveries.size() - acked >= expected.size());
        assertThat(r2.ids().subList(acked, r2.deliveries.size())).containsExactlyInAnyOrderElementsOf(expected);
        Set<String> union = new HashSet<>(handledByC1);
        union.addAll(r2.ids());
        assertThat(union).containsExactlyInAnyOrderElementsOf(Recorder.idsOf(log));
        assertThatThrownBy(() -> c1.ack(0, Position.start())).isInstanceOfSatisfying(SubscriptionException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_MEMBER));
    }

    @Test
    void aRestartResumesAfterTheAcknowledgedCheckpointOfEachPartition() {
        subs.create("s", SubscriptionSpec.fromStart().partitions(3));
        Recorder r = new Recorder();
        DurableConsumer c = subs.join("s", "c", r);
        List<Event> log = append("e", 90, 7);
        await("every event is delivered", () -> r.deliveries.size() >= log.size());
        Set<String> acked = new HashSet<>();
        for (int p = 0; p < 3; p++) {
            int partition = p;
            List<Recorder.Delivery> mine = r.deliveries.stream().filter(d -> d.partition() == partition).toList();
            int upTo = mine.size() / 3;
            c.ack(partition, mine.get(upTo).event().position());
            for (int i = 0; i <= upTo; i++) acked.add(mine.get(i).event().id());
        }

        restart(OPTIONS);
        List<Event> more = append("after", 10, 7).subList(log.size(), log.size() + 10);
        Recorder again = new Recorder();
        subs.join("s", "c", again);
        Set<String> expected = new HashSet<>(Recorder.idsOf(log));
        expected.removeAll(acked);
        expected.addAll(Recorder.idsOf(more));
        await("the unacknowledged and new events are delivered", () -> again.deliveries.size() >= expected.size());
        assertThat(again.ids()).containsExactlyInAnyOrderElementsOf(expected);
        assertEachAggregateInAppendOrder(again.deliveries.stream().map(Recorder.Delivery::event).toList());
    }

    @Test
    void noEventIsSkippedUnderConcurrentAppendsAndARebalance() throws Exception {
        subs.create("s", SubscriptionSpec.fromStart().partitions(8));
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        DurableConsumer c1 = subs.join("s", "c1", r1);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                for (int i = 0; i < 250; i++)
                    store.append(NewEvent.ofType("t").id("w" + writer + "-" + i).aggregate("acc", "w" + writer + "-" + (i % 5)).build());
            }));
        }
        DurableConsumer c2 = subs.join("s", "c2", r2);
        await("some events reach c2", () -> !r2.deliveries.isEmpty());
        r1.ackAll(c1);
        c1.close();
        for (Future<?> f : done) f.get();
        writers.shutdown();
        Set<String> all = new HashSet<>(Recorder.idsOf(logOf(1000)));
        assertThat(all).hasSize(1000);
        await("every event reaches a consumer", () -> {
            Set<String> seen = new HashSet<>(r1.ids());
            seen.addAll(r2.ids());
            return seen.containsAll(all);
        });
        // c2 kept its partitions and got c1's fresh ones: on each, it read the log in order from the checkpoint once
        assertEachAggregateInAppendOrder(r2.deliveries.stream().map(Recorder.Delivery::event).toList());
        assertEachAggregateInAppendOrder(r1.deliveries.stream().map(Recorder.Delivery::event).toList());
    }
}
