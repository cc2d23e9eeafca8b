package io.annals.server.subscriptions;

import static io.annals.server.subscriptions.Recorder.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.KeyValues;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.spi.EngineSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One durable subscription shared by two servers (two {@link DurableSubscriptions} over one store's key-values, as
 * two annals processes on one Cassandra keyspace): every partition held by one consumer at a time, each aggregate's
 * events to one consumer in order, and a server cut off from the store losing its partitions to the other one once
 * its leases lapse, without two consumers delivering one partition at once. On the in-memory store here, on
 * Cassandra with two separate stores on one keyspace in a subclass.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedDurableSubscriptionsTest {
    private static final DurableSubscriptions.Options OPTIONS =
            new DurableSubscriptions.Options(1000, Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(5));

    /**
     * The lease time to live: {@code lapsing} for the tests that wait for leases to lapse, short; otherwise long
     * enough that a loaded machine does not let them lapse by starving the renewals (a lapse redelivers events, which
     * the exactly-once checks would take for a bug). A lease whose compare-and-set takes longer than two thirds of
     * it delivers nothing, so a store with slow compare-and-sets needs longer ones.
     */
    protected Duration leaseTtl(boolean lapsing) {
        return Duration.ofSeconds(lapsing ? 1 : 5);
    }

    private final List<EventStore> stores = new ArrayList<>();
    private final List<DurableSubscriptions> servers = new ArrayList<>();
    /** The order of every delivery on either server. */
    private final AtomicLong sequence = new AtomicLong();
    private EventStore writer;
    private int appended;

    /** The store of server {@code index} (0 or 1); both must share their events and key-values. */
    protected EventStore openStore(int index) {
        if (index == 0) return EventStores.open("memory", EngineSettings.of(null));
        return stores.get(0);
    }

    /** A server over its store, whose key-values can be cut off like a server losing its connection to the store. */
    private record Server(DurableSubscriptions subs, Cut cut) {}

    private Server server(int index, DurableSubscriptions.Options options) {
        EventStore store = openStore(index);
        if (!stores.contains(store)) stores.add(store);
        KeyValues kv;
        try {
            kv = store.keyValues();
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "the store keeps no key-values: " + e.getMessage());
            throw e;
        }
        Cut cut = new Cut(kv);
        DurableSubscriptions subs = new DurableSubscriptions(store, cut, options);
        servers.add(subs);
        return new Server(subs, cut);
    }

    private Server a;
    private Server b;

    private void open(DurableSubscriptions.Options options) {
        a = server(0, options);
        b = server(1, options);
        writer = stores.get(0);
    }

    @AfterEach
    void close() {
        servers.forEach(DurableSubscriptions::close);
        stores.forEach(EventStore::close);
    }

    @Test
    void fourConsumersOnTwoServersHoldEveryPartitionOnceAndGetEachAggregateInOrder() {
        open(OPTIONS.leaseTtl(leaseTtl(false)));
        a.subs().create("s", SubscriptionSpec.fromStart().partitions(8));
        Acker a1 = new Acker("a1");
        Acker a2 = new Acker("a2");
        Acker b1 = new Acker("b1");
        Acker b2 = new Acker("b2");
        List<DurableConsumer> consumers = List.of(a.subs().join("s", "a1", a1), a.subs().join("s", "a2", a2),
                b.subs().join("s", "b1", b1), b.subs().join("s", "b2", b2));
        await("the partitions are spread over the four consumers",
                () -> consumers.stream().allMatch(c -> c.partitions().size() == 2));
        // partition p goes to the (p mod 4)-th consumer in id order, on whichever server it is
        for (int i = 0; i < 4; i++) assertThat(consumers.get(i).partitions()).containsExactly(i, i + 4);

        List<Event> log = append("e", 200, 23);
        List<Acker> ackers = List.of(a1, a2, b1, b2);
        await("every event is delivered", () -> ackers.stream().mapToInt(r -> r.deliveries.size()).sum() >= log.size());

        List<String> all = new ArrayList<>();
        Map<AggregateId, String> consumerOf = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            Acker r = ackers.get(i);
            all.addAll(r.ids());
            assertThat(r.partitions()).as(r.name).isEqualTo(consumers.get(i).partitions());
            for (Delivered d : r.deliveries) {
                if (d.event().aggregate() != null)
                    assertThat(consumerOf.putIfAbsent(d.event().aggregate(), r.name)).as("consumer of " + d.event().aggregate())
                            .isIn(null, r.name);
            }
            assertEachAggregateInAppendOrder(r.events());
        }
        assertThat(all).as("each event once").containsExactlyInAnyOrderElementsOf(Recorder.idsOf(log));
        SubscriptionStatus status = b.subs().status("s");
        for (SubscriptionStatus.PartitionStatus p : status.partitions())
            assertThat(p.consumer()).as("holder of partition " + p.partition()).isEqualTo(List.of("a1", "a2", "b1", "b2").get(p.partition() % 4));
        assertThat(status.consumers()).extracting(SubscriptionStatus.ConsumerStatus::consumer).containsExactly("a1", "a2", "b1", "b2");
    }

    @Test
    void whenAServerLosesTheStoreTheOtherTakesOverAfterItsLeasesLapseAndGivesBackWhenItReturns() {
        open(OPTIONS.leaseTtl(leaseTtl(true)));
        a.subs().create("s", SubscriptionSpec.fromStart().partitions(4));
        Acker a1 = new Acker("a1");
        Acker b1 = new Acker("b1");
        DurableConsumer ca = a.subs().join("s", "a1", a1);
        DurableConsumer cb = b.subs().join("s", "b1", b1);
        await("each holds two partitions", () -> ca.partitions().size() == 2 && cb.partitions().size() == 2);
        SortedSet<Integer> ofA = new TreeSet<>(ca.partitions());
        List<Event> first = append("e", 100, 11);
        await("the first events are delivered", () -> a1.deliveries.size() + b1.deliveries.size() >= first.size());

        a.cut().off = true; // server A can no longer reach the store's key-values: its consumer and leases lapse
        List<Event> second = append("f", 100, 11);
        await("b1 holds every partition", () -> cb.partitions().size() == 4);
        await("every event reaches a consumer", () -> delivered(a1, b1).containsAll(Recorder.idsOf(second)));
        for (int p : ofA) {
            long lastOnA = a1.lastSequence(p);
            long firstOnB = b1.firstSequence(p);
            assertThat(lastOnA).as("partition " + p + ": a1's last delivery comes before b1's first").isLessThan(firstOnB);
        }

        a.cut().off = false; // A is back: a1 is a member again and gets its share
        await("a1 has two partitions again", () -> ca.partitions().size() == 2 && cb.partitions().size() == 2);
        assertThat(ca.isClosed()).isFalse();
        List<Event> third = append("g", 100, 11);
        await("every event reaches a consumer", () -> delivered(a1, b1).containsAll(Recorder.idsOf(third)));
        assertThat(a1.deliveries).anySatisfy(d -> assertThat(d.event().id()).startsWith("g"));
        assertThat(delivered(a1, b1)).containsAll(Recorder.idsOf(first));
    }

    @Test
    void aSubscriptionDeletedOnOneServerEndsItsConsumersOnTheOther() {
        open(OPTIONS.leaseTtl(leaseTtl(true)));
        a.subs().create("s", SubscriptionSpec.fromStart().partitions(2));
        Acker b1 = new Acker("b1");
        b.subs().join("s", "b1", b1);
        a.subs().delete("s");
        await("b1 is ended", () -> b1.closedReason != null);
        assertThat(b1.closedReason).contains("deleted");
    }

    private static Set<String> delivered(Acker... ackers) {
        Set<String> ids = new HashSet<>();
        for (Acker r : ackers) ids.addAll(r.ids());
        return ids;
    }

    private List<Event> append(String prefix, int count, int aggregates) {
        for (int i = 0; i < count; i++) {
            NewEvent.Builder e = NewEvent.ofType("t").id(prefix + i);
            if (i % 10 != 9) e.aggregate("acc", prefix + (i % aggregates));
            writer.append(e.build());
            appended++;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Event> log = writer.readLog(Position.start(), 10_000).events();
        while (log.size() < appended && System.nanoTime() < deadline) {
            sleep(20);
            log = writer.readLog(Position.start(), 10_000).events();
        }
        return log.subList(log.size() - count, log.size());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertEachAggregateInAppendOrder(List<Event> received) {
        Map<AggregateId, List<Long>> versions = new HashMap<>();
        for (Event e : received) if (e.aggregate() != null) versions.computeIfAbsent(e.aggregate(), x -> new ArrayList<>()).add(e.streamVersion());
        versions.forEach((agg, v) -> assertThat(v).as(agg.toString()).isSorted().doesNotHaveDuplicates());
    }

    private record Delivered(int partition, Event event, long sequence) {}

    /** Records and acknowledges every event at once; numbers each delivery in the order of both servers'. */
    private final class Acker implements DurableListener {
        final String name;
        final List<Delivered> deliveries = new CopyOnWriteArrayList<>();
        volatile String closedReason;

        Acker(String name) {
            this.name = name;
        }

        @Override
        public void onEvent(DurableConsumer consumer, int partition, Event event) {
            deliveries.add(new Delivered(partition, event, sequence.incrementAndGet()));
            consumer.ack(partition, event.position());
        }

        @Override
        public void onClosed(String reason) {
            closedReason = reason;
        }

        List<String> ids() {
            return deliveries.stream().map(d -> d.event().id()).toList();
        }

        List<Event> events() {
            return deliveries.stream().map(Delivered::event).toList();
        }

        Set<Integer> partitions() {
            Set<Integer> ps = new TreeSet<>();
            for (Delivered d : deliveries) ps.add(d.partition());
            return ps;
        }

        long lastSequence(int partition) {
            return deliveries.stream().filter(d -> d.partition() == partition).mapToLong(Delivered::sequence).max().orElse(-1);
        }

        long firstSequence(int partition) {
            return deliveries.stream().filter(d -> d.partition() == partition).mapToLong(Delivered::sequence).min().orElse(Long.MAX_VALUE);
        }
    }

    /** Key-values that fail like an unreachable store while {@link #off}. */
    static final class Cut implements KeyValues {
        private final KeyValues kv;
        volatile boolean off;

        Cut(KeyValues kv) {
            this.kv = kv;
        }

        private void check() {
            if (off) throw new StoreUnavailableException("cut off from the store (test)", null);
        }

        @Override
        public Optional<byte[]> get(String space, String key) {
            check();
            return kv.get(space, key);
        }

        @Override
        public List<Entry> scan(String space, String after, int limit) {
            check();
            return kv.scan(space, after, limit);
        }

        @Override
        public void write(Batch batch) {
            check();
            kv.write(batch);
        }

        @Override
        public boolean compareAndSet(String space, String key, byte[] expected, byte[] value, java.time.Duration ttl) {
            check();
            return kv.compareAndSet(space, key, expected, value, ttl);
        }
    }
}
