package io.annals.sourcing.views;

import static io.annals.sourcing.api.At.at;
import static io.annals.sourcing.views.TestStores.await;
import static io.annals.sourcing.views.TestStores.awaitCaughtUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.KeyValues;
import io.annals.core.api.Position;
import io.annals.sourcing.api.Events;
import io.annals.sourcing.api.Sourcing;
import io.annals.sourcing.api.View;
import io.annals.sourcing.api.ViewStatus;
import io.annals.sourcing.api.ViewStatus.State;
import io.annals.sourcing.views.LampEvent.FuseEvent.Tripped;
import io.annals.sourcing.views.LampEvent.Installed;
import io.annals.sourcing.views.LampEvent.Removed;
import io.annals.sourcing.views.LampEvent.Toggled;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ViewTest extends LampStoreTest {
    static final Instant T = Instant.parse("2026-03-01T18:00:00Z");
    /** Lamps l0..l(n-1), each installed in room r(i % 3), toggled {@code toggles} times, every third removed. */
    static void lamps(Events events, int n, int toggles) {
        for (int i = 0; i < n; i++) {
            String lamp = "l" + i;
            Events.Batch batch = events.batch().add(lamp, new Installed(40 + i % 3 * 20, "r" + i % 3), at(T));
            for (int t = 0; t < toggles; t++) batch.add(lamp, new Toggled(), at(T.plusSeconds(t + 1)));
            if (i % 3 == 0) batch.add(lamp, new Removed(), at(T.plusSeconds(toggles + 1)));
            batch.dispatch();
            events.dispatchTo("f" + i, new Tripped(), at(T)); // not a lamp: never reaches the handler
        }
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#engines")
    void aViewAppliesEveryEventOnceReadingItsOwnUncommittedWrites(String engine) {
        Sourcing sourcing = open(engine);
        lamps(sourcing.events(), 30, 4);
        View view = started(sourcing.view("tally", LampEvent.class, Tally.HANDLER).batchSize(7).start());
        awaitCaughtUp(store, view);
        lamps(sourcing.events(), 5, 1); // live events too: l0..l4 get 2-3 more each
        awaitCaughtUp(store, view);

        var data = view.data();
        for (int i = 0; i < 30; i++) {
            int expected = (i % 3 == 0 ? 6 : 5) + (i < 5 ? (i % 3 == 0 ? 3 : 2) : 0);
            assertThat(Tally.count(data, "l" + i)).as("events applied to l" + i).isEqualTo(expected);
        }
        assertThat(data.scan("twice", "", 10)).isEmpty();
        assertThat(data.scan("room:r1", "", 100)).extracting(KeyValues.Entry::key)
                .containsExactly("l1", "l10", "l13", "l16", "l19", "l22", "l25", "l28", "l4", "l7");
        assertThat(data.scan("room:r0", "", 100)).isEmpty(); // every r0 lamp was removed (twice for l0 and l3)
        assertThat(view.status().applied()).isEqualTo(30 * 5 + 10 + 5 * 2 + 2);
        assertThat(view.status().live()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#localEngines")
    void aViewOfTheLampsInEachRoom(String engine) {
        Sourcing sourcing = open(engine);
        // guide:view
        View rooms = sourcing.view("lamps-by-room", LampEvent.class, (event, view) -> {
            String lamp = event.aggregate().id();
            if (event.event() instanceof Installed installed) {
                view.put("room-of", lamp, installed.room());
                view.put("room:" + installed.room(), lamp, "");
            } else if (event.event() instanceof Removed) {
                view.getString("room-of", lamp).ifPresent(room -> view.delete("room:" + room, lamp));
                view.delete("room-of", lamp);
            }
        }).start();
        // end
        started(rooms);
        Events events = sourcing.events();
        events.dispatchTo("l1", new Installed(60, "hall"), at(T));
        events.dispatchTo("l2", new Installed(60, "hall"), at(T));
        events.dispatchTo("l3", new Installed(40, "study"), at(T));
        events.dispatchTo("l2", new Removed(), at(T.plusSeconds(60)));
        awaitCaughtUp(store, rooms);
        // guide:view-query
        List<String> inTheHall = rooms.data().scan("room:hall", "", 100).stream().map(KeyValues.Entry::key).toList();
        ViewStatus status = rooms.status(); // RUNNING, WAITING or RETRYING; checkpoint, lag, failure, attempts
        // end
        assertThat(inTheHall).containsExactly("l1");
        assertThat(status.state()).isEqualTo(State.RUNNING);
        assertThat(status.applied()).isEqualTo(4);
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#engines")
    void aThrowingHandlerStopsTheViewAtTheEventBeforeAndAFreshStartResumesThere(String engine) {
        Sourcing sourcing = open(engine);
        lamps(sourcing.events(), 6, 2);
        AtomicBoolean broken = new AtomicBoolean(true);
        View failing = started(sourcing.view("tally", LampEvent.class, (event, view) -> {
            if (broken.get() && event.aggregate().id().equals("l4") && event.event() instanceof Toggled)
                throw new IllegalStateException("l4 cannot be toggled");
            Tally.HANDLER.apply(event, view);
        }).batchSize(100).noRetry().start());
        await(() -> failing.status().state() == State.FAILED, "the view to fail");

        assertThat(failing.status().failure()).isInstanceOf(IllegalStateException.class)
                .hasMessage("l4 cannot be toggled");
        var data = failing.data();
        assertThat(Tally.count(data, "l3")).isEqualTo(4); // the events before the failure are committed
        assertThat(Tally.count(data, "l4")).isEqualTo(1); // l4's installation, not the failing toggle
        assertThat(Tally.count(data, "l5")).isZero();

        failing.close();
        broken.set(false);
        View fixed = started(sourcing.view("tally", LampEvent.class, (event, view) -> {
            if (broken.get() && event.aggregate().id().equals("l4") && event.event() instanceof Toggled)
                throw new IllegalStateException("l4 cannot be toggled");
            Tally.HANDLER.apply(event, view);
        }).start());
        awaitCaughtUp(store, fixed);
        data = fixed.data();
        for (int i = 0; i < 6; i++) assertThat(Tally.count(data, "l" + i)).isEqualTo(i % 3 == 0 ? 4 : 3);
        assertThat(data.scan("twice", "", 10)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 8})
    void afterACrashAndARestartOfTheStoreTheViewResumesFromItsCheckpoint(int crashAt) {
        store = TestStores.open("rocksdb", dir);
        lamps(Sourcing.on(store, LampEvent.DOMAIN).build().events(), 12, 2);
        CrashingKeyValues crashing = new CrashingKeyValues(store.keyValues(), crashAt, crashAt % 2 == 0);
        View first = Sourcing.on(store, LampEvent.DOMAIN).build().view("tally", LampEvent.class, Tally.HANDLER)
                .batchSize(4).keyValues(crashing).start();
        await(() -> crashing.crashed, "the crash");
        first.close();
        store.close();

        store = TestStores.open("rocksdb", dir);
        Sourcing sourcing = Sourcing.on(store, LampEvent.DOMAIN).build();
        lamps(sourcing.events(), 3, 0);
        View second = started(sourcing.view("tally", LampEvent.class, Tally.HANDLER).batchSize(4).start());
        awaitCaughtUp(store, second);
        var data = second.data();
        for (int i = 0; i < 12; i++)
            assertThat(Tally.count(data, "l" + i)).isEqualTo((i % 3 == 0 ? 4 : 3) + (i < 3 ? (i % 3 == 0 ? 2 : 1) : 0));
        assertThat(data.scan("twice", "", 10)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#engines")
    void aRebuildFromZeroGivesTheSameEntriesAndDropsTheOldOnes(String engine) {
        Sourcing sourcing = open(engine);
        lamps(sourcing.events(), 20, 3);
        View view = started(sourcing.view("tally", LampEvent.class, Tally.HANDLER).batchSize(5).start());
        awaitCaughtUp(store, view);
        List<String> spaces = List.of("count", "seen", "twice", "room:r0", "room:r1", "room:r2", "rooms-of:l1");
        Map<String, Map<String, String>> before = Tally.entries(view.data(), spaces);

        view.rebuild();
        awaitCaughtUp(store, view);

        assertThat(view.status().generation()).isEqualTo(1);
        assertThat(Tally.entries(view.data(), spaces)).isEqualTo(before);
        assertThat(store.keyValues().scan("view:tally:0:count", "", 10)).isEmpty();
        assertThat(store.keyValues().scan("view:tally:1:count", "", 10)).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#engines")
    void onlyOneInstanceRunsAViewAndAnotherTakesOverWhenItStops(String engine) {
        Sourcing sourcing = open(engine);
        View a = started(sourcing.view("tally", LampEvent.class, Tally.HANDLER).leaseTtl(Duration.ofSeconds(2))
                .batchSize(3).start());
        View b = started(sourcing.view("tally", LampEvent.class, Tally.HANDLER).leaseTtl(Duration.ofSeconds(2))
                .batchSize(3).start());
        lamps(sourcing.events(), 10, 2);
        Position head = TestStores.settledHead(store);
        // on a busy machine a late renewal can pass the lease from one to the other: either may be running
        await(() -> atHead(a, head) && b.status().state() == State.WAITING
                || atHead(b, head) && a.status().state() == State.WAITING, "one view running, the other waiting");
        View running = a.status().state() == State.RUNNING ? a : b;
        View waiting = running == a ? b : a;

        running.close();
        await(() -> waiting.status().state() == State.RUNNING, "the other view to take over");
        lamps(sourcing.events(), 4, 0);
        awaitCaughtUp(store, waiting);

        var data = waiting.data();
        for (int i = 0; i < 10; i++)
            assertThat(Tally.count(data, "l" + i)).isEqualTo((i % 3 == 0 ? 4 : 3) + (i < 4 ? (i % 3 == 0 ? 2 : 1) : 0));
        assertThat(data.scan("twice", "", 10)).isEmpty();
        assertThat(a.status().applied() + b.status().applied()).as("events committed by either")
                .isEqualTo(10 * 3 + 4 + 4 + 2);
    }

    private static boolean atHead(View view, Position head) {
        return view.status().state() == State.RUNNING && head.equals(view.status().checkpoint());
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#localEngines")
    void theCheckpointMovesPastEventsOfOtherAggregateTypes(String engine) {
        Sourcing sourcing = open(engine);
        View view = started(sourcing.view("tally", LampEvent.class, Tally.HANDLER).start());
        sourcing.events().dispatchTo("f1", new Tripped(), at(T));
        awaitCaughtUp(store, view);
        assertThat(view.status().checkpoint()).isNotEqualTo(Position.start());
        assertThat(view.status().applied()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory"})
    void misuseFailsAtOnceSayingWhatToDo(String engine) {
        Sourcing sourcing = open(engine);
        assertThatThrownBy(() -> sourcing.view("no spaces please", LampEvent.class, Tally.HANDLER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> sourcing.view("v", LampEvent.class, Tally.HANDLER).leaseTtl(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole seconds");
        View view = started(sourcing.view("v", LampEvent.class, Tally.HANDLER).start());
        await(() -> view.status().state() == State.RUNNING, "the view to run");
        View other = started(sourcing.view("v", LampEvent.class, Tally.HANDLER).start());
        assertThatThrownBy(other::rebuild).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rebuild it on the instance that runs it");
    }
}
