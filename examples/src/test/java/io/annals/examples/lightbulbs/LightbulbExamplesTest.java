package io.annals.examples.lightbulbs;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.annals.core.api.EventStore;
import io.annals.examples.Engines;
import io.annals.examples.OnEveryEngine;
import io.annals.examples.lightbulbs.LightbulbEvent.Blown;
import io.annals.examples.lightbulbs.LightbulbEvent.Created;
import io.annals.examples.lightbulbs.LightbulbEvent.ScrewedIn;
import io.annals.examples.lightbulbs.LightbulbEvent.SwitchedOff;
import io.annals.examples.lightbulbs.LightbulbEvent.SwitchedOn;
import io.annals.sourcing.api.Events;
import io.annals.sourcing.api.Sourcing;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;

class LightbulbExamplesTest {
    private static final Instant T = Instant.parse("2026-03-01T18:00:00Z");
    private static final Engines ENGINES = new Engines("lightbulbs");
    private EventStore store;

    private Sourcing open(String engine) {
        store = ENGINES.store(engine);
        return Sourcing.on(store, Lightbulb.DOMAIN).build();
    }

    @AfterAll
    static void close() throws IOException {
        ENGINES.close();
    }

    private static Instant hours(double h) {
        return T.plus(Duration.ofSeconds((long) (h * 3600)));
    }

    @OnEveryEngine
    void timeTravelAndEnergyUsedFromOnOffIntervals(String engine) {
        Sourcing sourcing = open(engine);
        // guide:lightbulb-time-travel
        Events events = sourcing.events();
        events.batch()
                .add("bulb-1", new Created(60), at(hours(0)))
                .add("bulb-1", new ScrewedIn("hall"), at(hours(0.5)))
                .dispatch();
        events.dispatchTo("bulb-1", new SwitchedOn(), at(hours(1)));
        events.dispatchTo("bulb-1", new SwitchedOff(), at(hours(3)));  // on for 2 hours
        events.dispatchTo("bulb-1", new SwitchedOn(), at(hours(5)));
        events.dispatchTo("bulb-1", new Blown(), at(hours(6)));        // on for 1 more hour

        Lightbulb atTwo = sourcing.stateAt(Lightbulb.FOLD, "bulb-1", hours(2));
        assertThat(atTwo.lit()).isTrue();
        assertThat(atTwo.kilowattHours(hours(2))).isCloseTo(0.06, within(1e-9)); // 60 W for 1 hour

        Lightbulb now = sourcing.state(Lightbulb.FOLD, "bulb-1");
        assertThat(now.blown()).isTrue();
        assertThat(now.kilowattHours(hours(100))).isCloseTo(0.18, within(1e-9)); // 60 W for 3 hours
        // end
        assertThat(sourcing.stateAt(Lightbulb.FOLD, "bulb-1", hours(0.25)))
                .isEqualTo(new Lightbulb(60, null, null, Duration.ZERO, false));
        assertThat(sourcing.stateAt(Lightbulb.FOLD, "bulb-1", hours(3)).kilowattHours(hours(4)))
                .isCloseTo(0.12, within(1e-9));
        assertThat(sourcing.stateAt(Lightbulb.FOLD, "bulb-1", hours(5.5)).location()).isEqualTo("hall");
        assertThat(sourcing.stateAt(Lightbulb.FOLD, "bulb-1", T.minusSeconds(1))).isEqualTo(Lightbulb.NONE);
    }

    @OnEveryEngine
    void stateAtAnInstantIncludesAnEventAtThatVeryInstant(String engine) {
        Sourcing sourcing = open(engine);
        sourcing.events().dispatchTo("bulb-2", new Created(100), at(hours(0)));
        sourcing.events().dispatchTo("bulb-2", new SwitchedOn(), at(hours(1)));
        assertThat(sourcing.stateAt(Lightbulb.FOLD, "bulb-2", hours(1)).lit()).isTrue();
        assertThat(sourcing.stateAt(Lightbulb.FOLD, "bulb-2", hours(1).minusNanos(1000)).lit()).isFalse();
    }

    @OnEveryEngine
    void aBlownBulbStaysOffAndALateCreationStillComesFirst(String engine) {
        Sourcing sourcing = open(engine);
        sourcing.events().dispatchTo("bulb-3", new SwitchedOn(), at(hours(1)));
        sourcing.events().dispatchTo("bulb-3", new Blown(), at(hours(2)));
        sourcing.events().dispatchTo("bulb-3", new SwitchedOn(), at(hours(3)));
        sourcing.events().dispatchTo("bulb-3", new Created(40), at(hours(4))); // the factory's clock is late
        Lightbulb bulb = sourcing.state(Lightbulb.FOLD, "bulb-3");
        assertThat(bulb.blown()).isTrue();
        assertThat(bulb.lit()).isFalse();
        // the blow-out is applied last, at its own time: 40 W from 1 to 2 (the switch-on at 3 finds the bulb on)
        assertThat(bulb.kilowattHours(hours(10))).isCloseTo(0.04, within(1e-9));
    }
}
