package io.annals.examples.lightbulbs;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.annals.core.api.EventStore;
import io.annals.examples.Engines;
import io.annals.examples.OnEveryEngine;
import io.annals.examples.lightbulbs.LightbulbEvent.Created;
import io.annals.examples.lightbulbs.LightbulbEvent.ScrewedIn;
import io.annals.examples.lightbulbs.LightbulbEvent.SwitchedOff;
import io.annals.examples.lightbulbs.LightbulbEvent.SwitchedOn;
import io.annals.sourcing.api.Events;
import io.annals.sourcing.api.Snapshots;
import io.annals.sourcing.api.Sourcing;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;

/** A bulb switched on and off hundreds of times rebuilds from snapshots to the state its whole history folds to. */
class LightbulbSnapshotsTest {
    private static final Instant T = Instant.parse("2026-03-03T00:00:00Z");
    private static final Engines ENGINES = new Engines("lightbulb_snapshots");

    @AfterAll
    static void close() throws IOException {
        ENGINES.close();
    }

    private static Instant minute(double m) {
        return T.plusMillis((long) (m * 60_000));
    }

    /** Switches the bulb on at each even minute from {@code from} and off at each odd one, 100 events a batch. */
    private static void switches(Events events, String id, int from, int to) {
        for (int start = from; start < to; start += 100) {
            Events.Batch batch = events.batch();
            for (int m = start; m < Math.min(start + 100, to); m++)
                batch.add(id, m % 2 == 0 ? new SwitchedOn() : new SwitchedOff(), at(minute(m)));
            batch.dispatch();
        }
    }

    @OnEveryEngine
    void aLongHistoryRebuildsFromSnapshotsToTheStateOfTheWholeFold(String engine) {
        EventStore store = ENGINES.store(engine);
        // guide:lightbulb-snapshots
        Sourcing sourcing = Sourcing.on(store, Lightbulb.DOMAIN)
                .snapshots(Lightbulb.FOLD, Snapshots.every(100).ttl(Duration.ofDays(30)))
                .build();
        // end
        Sourcing withoutSnapshots = Sourcing.on(store, Lightbulb.DOMAIN).build();
        Events events = sourcing.events();
        events.batch().add("long-1", new Created(40), at(T.minusSeconds(60)))
                .add("long-1", new ScrewedIn("landing"), at(T.minusSeconds(30))).dispatch();
        switches(events, "long-1", 0, 400);

        Lightbulb bulb = sourcing.state(Lightbulb.FOLD, "long-1"); // folds everything, writes a snapshot
        assertThat(store.keyValues().scan("snapshots/9:lightbulb/long-1", "", 10)).isNotEmpty();
        assertThat(bulb).isEqualTo(withoutSnapshots.state(Lightbulb.FOLD, "long-1"));
        assertThat(bulb.kilowattHours(minute(1000))).isCloseTo(40 * 200 / 60.0 / 1000, within(1e-9)); // 200 minutes on

        switches(events, "long-1", 400, 450); // from the snapshot, then 50 events after it
        assertThat(sourcing.state(Lightbulb.FOLD, "long-1")).isEqualTo(withoutSnapshots.state(Lightbulb.FOLD, "long-1"))
                .extracting(Lightbulb::lit).isEqualTo(false);
        for (double m : new double[] {-0.75, 0, 99.5, 250.25, 449.5})
            assertThat(sourcing.stateAt(Lightbulb.FOLD, "long-1", minute(m))).as("at minute %s", m)
                    .isEqualTo(withoutSnapshots.stateAt(Lightbulb.FOLD, "long-1", minute(m)));

        // an event that arrives late, older than the snapshot's last event: the whole history is folded again
        events.dispatchTo("long-1", new ScrewedIn("attic"), at(minute(100.5)));
        Lightbulb moved = sourcing.state(Lightbulb.FOLD, "long-1");
        assertThat(moved.location()).isEqualTo("attic");
        assertThat(moved).isEqualTo(withoutSnapshots.state(Lightbulb.FOLD, "long-1"));
    }
}
