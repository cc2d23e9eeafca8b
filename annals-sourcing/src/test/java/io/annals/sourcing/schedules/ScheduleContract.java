package io.annals.sourcing.schedules;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.annals.sourcing.api.Domain;
import io.annals.sourcing.api.Middleware;
import io.annals.sourcing.api.Processing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One test body for the three processing schedules: a subclass says how to set its schedule up. The same handler
 * ({@link Tracker}) runs under each; events must reach it with ids, through the delivery middleware, each aggregate's
 * in dispatch order; after a handler failure and a restart, the schedules that keep events deliver every event
 * (repeats allowed, never out of order), and the transient one delivers each at most once.
 */
public abstract class ScheduleContract {
    protected static final Duration WAIT = Duration.ofSeconds(60);
    protected static final Domain DOMAIN = Domain.builder().aggregate(Shipment.class).aggregate(Bulb.class).build();
    private static final Middleware VIA = (event, next) -> next.accept(event.withMeta("via", "delivery"));
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private final List<Processing> started = new ArrayList<>();

    /** {@code builder} set up with the schedule under test and what it needs (a store, a transport). */
    protected abstract Processing.Builder schedule(Processing.Builder builder);

    /** True when events not handled before a stop are delivered after a restart (durable, persistent). */
    protected abstract boolean keepsEvents();

    /** Called between a processing and the next one of the same name (a persistent test reopens its store). */
    protected void restart() {}

    /** Closes what {@link #schedule} uses, after the processings of the test are closed. */
    protected void closeResources() {}

    @AfterEach
    void closeProcessings() {
        started.forEach(Processing::close);
        closeResources();
    }

    private Processing start(String name, Tracker tracker) {
        Processing p = schedule(Processing.builder(DOMAIN)).name(name).deliverThrough(VIA)
                .on(Shipment.class, tracker).start();
        started.add(p);
        return p;
    }

    @Test
    void eachAggregatesEventsArriveOnceInDispatchOrder() {
        Tracker tracker = new Tracker();
        Processing p = start(unique(), tracker);
        int aggregates = 12;
        int perAggregate = 10;
        for (int seq = 1; seq <= perAggregate; seq++) {
            if (seq % 3 == 0) {
                Processing.Batch batch = p.batch();
                for (int a = 0; a < aggregates; a++) batch.add("s-" + a, new Shipment.Scanned(seq, "depot"), at(time(seq)));
                batch.dispatch();
            } else {
                for (int a = 0; a < aggregates; a++) p.dispatchTo("s-" + a, new Shipment.Scanned(seq, "depot"), at(time(seq)));
            }
            p.dispatchTo("b-" + seq, new Bulb.SwitchedOn(60), at(time(seq))); // no handler takes bulbs
        }
        p.dispatchTo("s-0", new Shipment.Delivered(perAggregate + 1), at(time(perAggregate + 1)));

        await(() -> tracker.distinctIds() == aggregates * perAggregate + 1, p, "every shipment event handled");
        for (int a = 0; a < aggregates; a++) {
            List<Integer> expected = IntStream.rangeClosed(1, a == 0 ? perAggregate + 1 : perAggregate).boxed().toList();
            assertThat(tracker.handled("s-" + a)).as("s-" + a).isEqualTo(expected);
        }
        assertThat(tracker.aggregates()).hasSize(aggregates);
        assertThat(tracker.problems()).isEmpty();
        assertThat(p.failure()).isEmpty();
    }

    @Test
    void afterAHandlerFailureARestartDeliversPerTheSchedulesGuarantee() {
        String name = unique();
        Tracker tracker = new Tracker();
        tracker.failOnce("s-0", 4);
        Processing first = start(name, tracker);
        List<String> aggregates = List.of("s-0", "s-1", "s-2");
        dispatch(first, aggregates, 1, 8);
        await(() -> first.failure().isPresent(), null, "the handler failure stopping the first processing");
        assertThat(first.isRunning()).isFalse();
        first.close();

        restart();
        Processing second = start(name, tracker);
        dispatch(second, aggregates, 9, 12);

        List<Integer> all = IntStream.rangeClosed(1, 12).boxed().toList();
        if (keepsEvents()) {
            await(() -> aggregates.stream().allMatch(a -> tracker.handled(a).stream().distinct().count() == 12),
                    second, "every event handled, the failed one included");
            for (String a : aggregates) {
                List<Integer> handled = tracker.handled(a);
                assertThat(handled.stream().distinct().toList()).as(a + " first deliveries").isEqualTo(all);
                assertInOrderWithReplays(a, handled);
            }
        } else {
            await(() -> aggregates.stream().allMatch(a -> tracker.handled(a).contains(12)), second,
                    "the events dispatched after the restart handled");
            for (String a : aggregates) {
                List<Integer> handled = tracker.handled(a);
                assertThat(handled).as(a + ": at most once, in order").isSorted().doesNotHaveDuplicates()
                        .containsSubsequence(9, 10, 11, 12);
            }
            assertThat(tracker.handled("s-0")).as("the event the handler failed on is lost").doesNotContain(4);
        }
        assertThat(tracker.problems()).isEmpty();
    }

    @Test
    void aHandlerMayDispatchFollowUpEvents() {
        Tracker tracker = new Tracker();
        AtomicReference<Processing> self = new AtomicReference<>();
        Processing p = schedule(Processing.builder(DOMAIN)).name(unique()).deliverThrough(VIA)
                .on(Shipment.Scanned.class, scanned -> self.get().dispatchTo(scanned.aggregate().id(),
                        new Shipment.Delivered(scanned.event().seq() + 1), at(scanned.time().plusSeconds(1))))
                .on(Shipment.class, tracker)
                .start();
        started.add(p);
        self.set(p);
        for (int a = 0; a < 5; a++) p.dispatchTo("s-" + a, new Shipment.Scanned(1, "depot"), at(time(1)));

        await(() -> tracker.distinctIds() == 10, p, "each scan and the delivery its handler dispatched");
        for (int a = 0; a < 5; a++) assertThat(tracker.handled("s-" + a)).as("s-" + a).containsExactly(1, 2);
        assertThat(tracker.problems()).isEmpty();
    }

    /** Dispatches events {@code from} to {@code to} of each aggregate, interleaved. */
    private void dispatch(Processing p, List<String> aggregates, int from, int to) {
        for (int seq = from; seq <= to; seq++) {
            for (String a : aggregates) {
                try {
                    p.dispatchTo(a, new Shipment.Scanned(seq, "depot"), at(time(seq)));
                } catch (IllegalStateException stopped) {
                    // the transient bus refuses events once its handler failed; the others keep them
                    if (keepsEvents() || p.failure().isEmpty()) throw stopped;
                }
            }
        }
    }

    /** A redelivery replays events already handled; an event handled for the first time is the next one. */
    private static void assertInOrderWithReplays(String aggregate, List<Integer> handled) {
        int max = 0;
        for (int seq : handled) {
            if (seq > max) {
                assertThat(seq).as(aggregate + " handled " + handled + ": an event came before the one before it")
                        .isEqualTo(max + 1);
                max = seq;
            }
        }
    }

    protected static String unique() {
        return "test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Instant time(int seq) {
        return T0.plusSeconds(seq);
    }

    /** Waits for {@code done}; fails with {@code what} (and the processing's failure, if any) after {@link #WAIT}. */
    private static void await(BooleanSupplier done, Processing p, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (p != null && p.failure().isPresent()) fail("processing failed while waiting for " + what, p.failure().get());
            if (System.nanoTime() > deadline) fail("waited " + WAIT + " for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }
}
