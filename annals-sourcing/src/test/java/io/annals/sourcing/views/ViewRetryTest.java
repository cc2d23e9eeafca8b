package io.annals.sourcing.views;

import static io.annals.sourcing.views.TestStores.await;
import static io.annals.sourcing.views.TestStores.awaitCaughtUp;
import static io.annals.sourcing.views.ViewTest.lamps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.sourcing.api.Recorded;
import io.annals.sourcing.api.Sourcing;
import io.annals.sourcing.api.View;
import io.annals.sourcing.api.ViewHandler;
import io.annals.sourcing.api.ViewStatus;
import io.annals.sourcing.api.ViewStatus.State;
import io.annals.sourcing.views.LampEvent.Toggled;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A failed view run is retried from the checkpoint after a backoff (tiny here), applying every event once. */
class ViewRetryTest extends LampStoreTest {
    private static final Duration TINY = Duration.ofMillis(10);
    /** Events of lamps(6, 2) that reach the handler: an installation and 2 toggles each, a removal for l0 and l3. */
    private static final int EVENTS = 6 * 3 + 2;
    private static boolean l4Toggled(Recorded<LampEvent> event) {
        return event.aggregate().id().equals("l4") && event.event() instanceof Toggled;
    }

    /** Counts its calls, and fails on l4's toggles until it has failed {@code failures} times. */
    private static ViewHandler<LampEvent> failing(int failures, AtomicInteger calls) {
        AtomicInteger failed = new AtomicInteger();
        return (event, view) -> {
            calls.incrementAndGet();
            if (l4Toggled(event) && failed.get() < failures) {
                failed.incrementAndGet();
                throw new IllegalStateException("l4 cannot be toggled");
            }
            Tally.HANDLER.apply(event, view);
        };
    }

    private static void assertEveryEventAppliedOnce(View view) {
        var data = view.data();
        for (int i = 0; i < 6; i++) assertThat(Tally.count(data, "l" + i)).as("l" + i).isEqualTo(i % 3 == 0 ? 4 : 3);
        assertThat(data.scan("twice", "", 10)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#localEngines")
    void aHandlerThatFailsTwiceIsRetriedFromTheCheckpointAndAppliesEveryEventOnce(String engine) {
        Sourcing sourcing = open(engine);
        lamps(sourcing.events(), 6, 2);
        AtomicInteger calls = new AtomicInteger();
        View view = started(sourcing.view("tally", LampEvent.class, failing(2, calls)).batchSize(100)
                .retry(TINY, TINY.multipliedBy(2)).start());
        awaitCaughtUp(store, view);

        assertEveryEventAppliedOnce(view);
        ViewStatus status = view.status();
        assertThat(status.state()).isEqualTo(State.RUNNING);
        assertThat(status.applied()).as("events committed").isEqualTo(EVENTS);
        assertThat(calls.get()).as("handler calls: each event once, l4's first toggle twice more").isEqualTo(EVENTS + 2);
        assertThat(status.attempts()).isZero();
        assertThat(status.failure()).isNull();
        assertThat(status.nextAttempt()).isNull();
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#localEngines")
    void aHandlerThatAlwaysFailsIsRetriedWithMoreAttemptsUntilTheViewIsClosed(String engine) {
        Sourcing sourcing = open(engine);
        lamps(sourcing.events(), 6, 2);
        AtomicInteger calls = new AtomicInteger();
        View broken = started(sourcing.view("tally", LampEvent.class, failing(Integer.MAX_VALUE, calls))
                .batchSize(100).retry(TINY, TINY.multipliedBy(4)).start());
        AtomicReference<ViewStatus> seen = new AtomicReference<>();
        await(() -> {
            seen.set(broken.status()); // RUNNING while an attempt is made
            return seen.get().state() == State.RETRYING && seen.get().attempts() >= 4;
        }, "four failed attempts");

        ViewStatus status = seen.get();
        assertThat(status.failure()).isInstanceOf(IllegalStateException.class).hasMessage("l4 cannot be toggled");
        assertThat(status.nextAttempt()).isNotNull();
        var data = broken.data();
        assertThat(Tally.count(data, "l3")).isEqualTo(4); // the events before the failure are committed, once
        assertThat(Tally.count(data, "l4")).isEqualTo(1); // l4's installation, not the failing toggle
        assertThat(Tally.count(data, "l5")).isZero();

        broken.close();
        int callsAtClose = calls.get();
        assertThat(broken.status().state()).isEqualTo(State.CLOSED);
        assertThat(broken.status().nextAttempt()).isNull();
        assertThat(store.keyValues().get("view:tally", "lease")).as("the lease, given up").isEmpty();

        View fixed = started(sourcing.view("tally", LampEvent.class, Tally.HANDLER).start());
        awaitCaughtUp(store, fixed);
        assertEveryEventAppliedOnce(fixed);
        assertThat(calls.get()).as("calls of the closed view's handler").isEqualTo(callsAtClose);
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#localEngines")
    void whileAFailedInstanceWaitsToRetryAHealthyOneTakesTheViewOver(String engine) {
        Sourcing sourcing = open(engine);
        lamps(sourcing.events(), 6, 2);
        View broken = started(sourcing.view("tally", LampEvent.class, failing(Integer.MAX_VALUE, new AtomicInteger()))
                .batchSize(100).leaseTtl(Duration.ofSeconds(1)).retry(TINY, Duration.ofSeconds(5)).start());
        await(() -> broken.status().attempts() >= 1, "the first failure");
        View healthy = started(sourcing.view("tally", LampEvent.class, Tally.HANDLER)
                .leaseTtl(Duration.ofSeconds(1)).start());

        awaitCaughtUp(store, healthy);
        assertEveryEventAppliedOnce(healthy);
        await(() -> broken.status().state() == State.WAITING, "the broken instance to find the lease taken");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aViewRetriesAfterTheStoreFailsToCommitAndAppliesEveryEventOnce(boolean writtenAnyway) {
        Sourcing sourcing = open("rocksdb");
        lamps(sourcing.events(), 6, 2);
        // the 2nd and 3rd commits fail (the 2nd is written all the same when writtenAnyway), then the store recovers
        CrashingKeyValues flaky = new CrashingKeyValues(store.keyValues(), 2, writtenAnyway, 2);
        View view = started(sourcing.view("tally", LampEvent.class, Tally.HANDLER).batchSize(3).keyValues(flaky)
                .retry(TINY, TINY).start());
        awaitCaughtUp(store, view);

        assertEveryEventAppliedOnce(view);
        assertThat(view.status().attempts()).isZero();
        assertThat(view.status().failure()).isNull();
    }

    @Test
    void withoutRetryAStoreFailureIsWaitedOutAndAHandlerFailureStopsTheView() {
        Sourcing sourcing = open("memory");
        lamps(sourcing.events(), 6, 2);
        View broken = started(sourcing.view("tally", LampEvent.class, failing(1, new AtomicInteger())).noRetry()
                .start());
        await(() -> broken.status().state() == State.FAILED, "the view to stop");
        assertThat(broken.status().attempts()).isZero();
        assertThat(broken.status().nextAttempt()).isNull();
        broken.close();

        CrashingKeyValues flaky = new CrashingKeyValues(store.keyValues(), 1, false, 1);
        View waiting = started(sourcing.view("tally", LampEvent.class, Tally.HANDLER).noRetry().keyValues(flaky)
                .leaseTtl(Duration.ofSeconds(1)).start());
        awaitCaughtUp(store, waiting); // after its first commit failed
        assertEveryEventAppliedOnce(waiting);
        assertThat(waiting.status().attempts()).isZero();
    }

    @Test
    void retryMisuseFailsAtOnceSayingWhatToDo() {
        Sourcing sourcing = open("memory");
        View.Builder<LampEvent> view = sourcing.view("v", LampEvent.class, Tally.HANDLER);
        assertThatThrownBy(() -> view.retry(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive delay");
        assertThatThrownBy(() -> view.retry(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noRetry()");
    }
}
