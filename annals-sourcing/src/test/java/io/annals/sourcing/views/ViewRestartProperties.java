package io.annals.sourcing.views;

import static io.annals.sourcing.views.TestStores.await;
import static io.annals.sourcing.views.TestStores.awaitCaughtUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.sourcing.api.Sourcing;
import io.annals.sourcing.api.View;
import io.annals.sourcing.api.ViewData;
import io.annals.sourcing.api.ViewStatus.State;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A view that crashes at any write (the write lost, or made but not acknowledged) and is started afresh, with more
 * events appended meanwhile, ends with every event applied exactly once.
 */
class ViewRestartProperties {

    @Property(tries = 40)
    void aCrashAtAnyWriteNeitherRepeatsNorSkipsAnEvent(@ForAll @IntRange(min = 1, max = 12) int lamps,
                                                       @ForAll @IntRange(min = 0, max = 4) int toggles,
                                                       @ForAll @IntRange(min = 1, max = 8) int batchSize,
                                                       @ForAll @IntRange(min = 1, max = 20) int crashAt,
                                                       @ForAll boolean afterWriting,
                                                       @ForAll @IntRange(min = 0, max = 5) int lampsMeanwhile) {
        try (EventStore store = TestStores.open("memory", null)) {
            Sourcing sourcing = Sourcing.on(store, LampEvent.DOMAIN).build();
            ViewTest.lamps(sourcing.events(), lamps, toggles);
            CrashingKeyValues crashing = new CrashingKeyValues(store.keyValues(), crashAt, afterWriting);
            View first = sourcing.view("tally", LampEvent.class, Tally.HANDLER).batchSize(batchSize)
                    .keyValues(crashing).start();
            await(() -> crashing.crashed || caughtUp(store, first), "a crash or the end of the log");
            first.close();

            ViewTest.lamps(sourcing.events(), lampsMeanwhile, 1);
            try (View second = sourcing.view("tally", LampEvent.class, Tally.HANDLER).batchSize(batchSize).start()) {
                awaitCaughtUp(store, second);
                ViewData data = second.data();
                for (int i = 0; i < Math.max(lamps, lampsMeanwhile); i++) {
                    int before = i < lamps ? 1 + toggles + (i % 3 == 0 ? 1 : 0) : 0;
                    int meanwhile = i < lampsMeanwhile ? 2 + (i % 3 == 0 ? 1 : 0) : 0;
                    assertThat(Tally.count(data, "l" + i)).as("events applied to l" + i).isEqualTo(before + meanwhile);
                }
                assertThat(data.scan("twice", "", 10)).as("events applied twice").isEmpty();
            }
        }
    }

    private static boolean caughtUp(EventStore store, View view) {
        return view.status().state() == State.RUNNING
                && store.readLog(io.annals.core.api.Position.end(), 1).next().equals(view.status().checkpoint());
    }
}
