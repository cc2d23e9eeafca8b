package io.annals.server.subscriptions;

import static io.annals.server.subscriptions.Recorder.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogFilter;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.spi.EngineSettings;
import io.annals.server.subscriptions.SubscriptionException.Reason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rules of durable subscriptions: specs, acknowledgements, flow control and timeouts (in-memory store). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DurableSubscriptionRulesTest {
    private final EventStore store = EventStores.open("memory", EngineSettings.of(null));
    private DurableSubscriptions subs = new DurableSubscriptions(store,
            new DurableSubscriptions.Options(1000, Duration.ofSeconds(30), Duration.ofHours(1)));

    @AfterEach
    void close() {
        subs.close();
        store.close();
    }

    /** Events over 7 aggregates, which fall in both partitions of a 2-partition subscription. */
    private void append(String prefix, int count) {
        for (int i = 0; i < count; i++) store.append(NewEvent.ofType("t").id(prefix + i).aggregate("acc", prefix + (i % 7)).build());
    }

    private static void assertRefused(Reason reason, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SubscriptionException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void createIsIdempotentForTheSameSpecAndRefusesAnother() {
        SubscriptionSpec spec = SubscriptionSpec.fromStart().partitions(4).filter(LogFilter.all().types("a", "b"));
        assertThat(subs.create("orders", spec)).isTrue();
        assertThat(subs.create("orders", spec)).isFalse();
        assertRefused(Reason.EXISTS, () -> subs.create("orders", spec.partitions(5)));
        assertThat(subs.spec("orders")).contains(spec);
        assertThat(subs.names()).containsExactly("orders");
        assertThat(subs.status("orders").partitions()).hasSize(4)
                .allSatisfy(p -> assertThat(p.checkpoint()).isEqualTo(Position.start()));
        assertThatThrownBy(() -> subs.create("bad/name", spec)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> subs.create("x", SubscriptionSpec.from(Position.of("nonsense")))).isInstanceOf(IllegalArgumentException.class);
        assertThat(subs.names()).containsExactly("orders");
    }

    @Test
    void deleteEndsTheConsumersAndForgetsTheCheckpoints() {
        subs.create("s", SubscriptionSpec.fromStart().partitions(2));
        Recorder r = new Recorder();
        DurableConsumer c = subs.join("s", "c", r);
        append("e", 5);
        await("delivery", () -> r.deliveries.size() == 5);
        r.ackAll(c);
        assertThat(subs.delete("s")).isTrue();
        await("the consumer is told", () -> r.closedReason != null);
        assertThat(r.closedReason).contains("deleted");
        assertThat(c.isClosed()).isTrue();
        assertThat(subs.delete("s")).isFalse();
        assertThat(store.checkpoints().list("subscription/")).isEmpty();
        assertRefused(Reason.NOT_FOUND, () -> subs.join("s", "c", new Recorder()));
        assertRefused(Reason.NOT_FOUND, () -> subs.status("s"));

        subs.create("s", SubscriptionSpec.fromStart().partitions(2));
        Recorder again = new Recorder();
        subs.join("s", "c", again);
        await("a recreated subscription starts over", () -> again.deliveries.size() == 5);
    }

    @Test
    void fromEndDeliversOnlyEventsStoredAfterCreationAndTheFilterApplies() {
        append("old", 6);
        subs.create("s", SubscriptionSpec.from(Position.end()).partitions(3).filter(LogFilter.all().types("wanted")));
        store.append(NewEvent.ofType("other").id("o1").build());
        store.append(NewEvent.ofType("wanted").id("w1").aggregate("x", "1").build());
        Recorder r = new Recorder();
        subs.join("s", "c", r);
        store.append(NewEvent.ofType("wanted").id("w2").build());
        await("two events", () -> r.deliveries.size() >= 2);
        assertThat(r.ids()).containsExactlyInAnyOrder("w1", "w2");
        assertThat(subs.spec("s").orElseThrow().from()).isEqualTo(Position.end());
    }

    @Test
    void acknowledgementsAreCumulativePerPartitionAndChecked() {
        subs.create("s", SubscriptionSpec.fromStart().partitions(1));
        Recorder r = new Recorder();
        DurableConsumer c = subs.join("s", "c", r);
        append("e", 6);
        await("delivery", () -> r.deliveries.size() == 6);
        List<Position> ps = r.deliveries.stream().map(d -> d.event().position()).toList();

        c.ack(0, ps.get(2));
        assertThat(subs.status("s").partitions().get(0).pending()).isEqualTo(3);
        assertThat(subs.status("s").partitions().get(0).checkpoint()).isEqualTo(ps.get(2));
        c.ack(0, ps.get(2)); // a repeat is harmless
        assertRefused(Reason.NOT_PENDING, () -> c.ack(0, ps.get(1)));
        assertRefused(Reason.NOT_PENDING, () -> c.ack(0, Position.of("999")));
        assertThatThrownBy(() -> c.ack(1, ps.get(3))).isInstanceOf(IllegalArgumentException.class);
        c.ack(0, ps.get(5));
        assertThat(subs.status("s").pending()).isZero();
        assertThat(store.checkpoints().get("subscription/s/0")).contains(ps.get(5));
    }

    @Test
    void aListenerMayAcknowledgeFromInsideTheCallEvenBeforeJoinReturns() {
        append("e", 20);
        subs.create("s", SubscriptionSpec.fromStart().partitions(2));
        List<Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        subs.join("s", "c", (consumer, partition, event) -> {
            consumer.ack(partition, event.position());
            seen.add(event);
        });
        await("every event handled and acknowledged", () -> seen.size() == 20 && subs.status("s").pending() == 0);
        SubscriptionSpec spec = subs.spec("s").orElseThrow();
        for (int p = 0; p < 2; p++) {
            int partition = p;
            Position last = seen.stream().filter(e -> spec.partitionOf(e) == partition).reduce((a, b) -> b).orElseThrow().position();
            assertThat(store.checkpoints().get("subscription/s/" + p)).contains(last);
        }
    }

    @Test
    void aRebalanceWaitsForACallInProgressInsteadOfInterruptingIt() throws Exception {
        subs.create("s", SubscriptionSpec.fromStart().partitions(2));
        java.util.concurrent.CountDownLatch inCall = new java.util.concurrent.CountDownLatch(1);
        DurableConsumer a = subs.join("s", "a", (consumer, partition, event) -> {
            inCall.countDown();
            try {
                Thread.sleep(1000); // a write to a slow client, say
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException("the write was interrupted"); // as Jetty reports it
            }
        });
        append("e", 1); // aggregate acc/e0: partition 1, which moves to b when b joins
        assertThat(subs.spec("s").orElseThrow().partitionOf(store.get("e0").orElseThrow())).isEqualTo(1);
        inCall.await();
        Recorder rb = new Recorder();
        DurableConsumer b = subs.join("s", "b", rb);
        assertThat(a.isClosed()).as("a is still a member").isFalse();
        assertThat(a.partitions()).containsExactly(0);
        await("the unacknowledged event moves to b", () -> rb.ids().contains("e0"));
        assertThat(b.partitions()).containsExactly(1);
    }

    @Test
    void aPartitionNotHeldCannotBeAcknowledged() {
        subs.create("s", SubscriptionSpec.fromStart().partitions(2));
        DurableConsumer c1 = subs.join("s", "a", new Recorder());
        DurableConsumer c2 = subs.join("s", "b", new Recorder());
        assertThat(c1.partitions()).containsExactly(0);
        assertRefused(Reason.NOT_ASSIGNED, () -> c1.ack(1, Position.start()));
        assertThat(c2.partitions()).containsExactly(1);
    }

    @Test
    void aConsumerGetsAtMostMaxInFlightUnacknowledgedEventsPerPartition() {
        subs.close();
        subs = new DurableSubscriptions(store, new DurableSubscriptions.Options(3, Duration.ofSeconds(30), Duration.ofHours(1)));
        subs.create("s", SubscriptionSpec.fromStart().partitions(1));
        Recorder r = new Recorder();
        DurableConsumer c = subs.join("s", "c", r);
        append("e", 10);
        await("three delivered", () -> r.deliveries.size() == 3);
        await("the reader waits", () -> subs.status("s").pending() == 3);
        assertThat(r.deliveries).hasSize(3);
        c.ack(0, r.deliveries.get(1).event().position());
        await("two more", () -> r.deliveries.size() == 5);
        await("the reader waits again", () -> subs.status("s").pending() == 3);
        r.ackAll(c);
        await("three more", () -> r.deliveries.size() == 8);
        await("the reader waits once more", () -> subs.status("s").pending() == 3);
        assertThat(r.deliveries).hasSize(8);
        r.ackAll(c);
        await("all", () -> r.deliveries.size() == 10);
        assertThat(r.ids()).containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
    }

    @Test
    void aConsumerThatDoesNotAcknowledgeWithinTheSessionTimeoutIsRemoved() {
        subs.close();
        subs = new DurableSubscriptions(store, new DurableSubscriptions.Options(1000, Duration.ofMillis(200), Duration.ofHours(1)));
        subs.create("s", SubscriptionSpec.fromStart().partitions(2));
        Recorder idle = new Recorder();
        Recorder busy = new Recorder();
        DurableConsumer a = subs.join("s", "a", idle);
        DurableConsumer b = subs.join("s", "b", busy);
        append("e", 30);
        // b acknowledges whatever it gets, a nothing
        await("the idle consumer is removed", () -> {
            busy.ackAll(b);
            return idle.closedReason != null;
        });
        assertThat(idle.closedReason).contains("session timeout");
        assertThat(idle.deliveries).isNotEmpty();
        await("b holds both partitions and has every event", () -> {
            busy.ackAll(b);
            return b.partitions().size() == 2 && busy.ids().containsAll(idsOfLog());
        });
        assertThat(b.isClosed()).isFalse();
        // once b stops acknowledging, it goes the same way
        append("more", 1);
        await("b is removed too", b::isClosed);
        assertThat(subs.status("s").consumers()).isEmpty();
    }

    private List<String> idsOfLog() {
        return store.readLog(Position.start(), 1000).events().stream().map(Event::id).toList();
    }

    @Test
    void aListenerThatThrowsLeavesAndItsPartitionsMoveOn() {
        subs.create("s", SubscriptionSpec.fromStart().partitions(2));
        Recorder good = new Recorder();
        DurableConsumer failing = subs.join("s", "a", new DurableListener() {
            @Override
            public void onEvent(DurableConsumer consumer, int partition, Event event) {
                throw new IllegalStateException("boom");
            }
        });
        DurableConsumer ok = subs.join("s", "b", good);
        append("e", 20);
        await("the failing consumer is gone", failing::isClosed);
        await("the other gets everything", () -> good.ids().containsAll(idsOfLog()));
        assertThat(ok.partitions()).containsExactly(0, 1);
    }

    @Test
    void aConsumerJoiningAgainWithItsIdReplacesItsOldMembership() {
        subs.create("s", SubscriptionSpec.fromStart().partitions(2));
        Recorder first = new Recorder();
        DurableConsumer old = subs.join("s", "c", first);
        Recorder second = new Recorder();
        DurableConsumer now = subs.join("s", "c", second);
        assertThat(old.isClosed()).isTrue();
        assertThat(first.closedReason).contains("replaced");
        assertThat(now.partitions()).containsExactly(0, 1);
        assertThat(subs.status("s").consumers()).extracting(SubscriptionStatus.ConsumerStatus::consumer).containsExactly("c");
        old.close(); // closing the replaced one leaves the new one alone
        assertThat(now.isClosed()).isFalse();
    }
}
