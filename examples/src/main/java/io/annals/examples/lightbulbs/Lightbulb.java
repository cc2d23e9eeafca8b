package io.annals.examples.lightbulbs;

import io.annals.examples.lightbulbs.LightbulbEvent.Blown;
import io.annals.examples.lightbulbs.LightbulbEvent.Created;
import io.annals.examples.lightbulbs.LightbulbEvent.ScrewedIn;
import io.annals.examples.lightbulbs.LightbulbEvent.SwitchedOff;
import io.annals.examples.lightbulbs.LightbulbEvent.SwitchedOn;
import io.annals.sourcing.api.Domain;
import io.annals.sourcing.api.Fold;
import java.time.Duration;
import java.time.Instant;

// guide:lightbulb-state
/** A lightbulb's state; {@code onSince} is null while it is off, {@code litFor} sums the finished on intervals. */
public record Lightbulb(int wattage, String location, Instant onSince, Duration litFor, boolean blown) {

    public static final Lightbulb NONE = new Lightbulb(0, null, null, Duration.ZERO, false);

    public static final Fold<Lightbulb, LightbulbEvent> FOLD = Fold.of(LightbulbEvent.class, NONE)
            .on(Created.class, (b, e) -> new Lightbulb(e.wattage(), null, null, Duration.ZERO, false))
            .on(ScrewedIn.class, (b, e) -> new Lightbulb(b.wattage, e.location(), b.onSince, b.litFor, b.blown))
            .on(SwitchedOn.class, (b, e, time) -> b.lit() || b.blown ? b
                    : new Lightbulb(b.wattage, b.location, time, b.litFor, false))
            .on(SwitchedOff.class, (b, e, time) -> b.switchedOffAt(time))
            .on(Blown.class, (b, e, time) -> {
                Lightbulb off = b.switchedOffAt(time);
                return new Lightbulb(off.wattage, off.location, null, off.litFor, true);
            });

    public static final Domain DOMAIN = Domain.builder().aggregate(LightbulbEvent.class).build();

    /** Whether the bulb is on. */
    public boolean lit() {
        return onSince != null;
    }

    /** Whether the bulb was created: every real bulb has a wattage. */
    public boolean exists() {
        return wattage > 0;
    }

    Lightbulb switchedOffAt(Instant time) {
        if (!lit()) return this;
        return new Lightbulb(wattage, location, null, litFor.plus(Duration.between(onSince, time)), blown);
    }

    /** Energy used up to {@code now} (counting a light still on until then), in kilowatt-hours. */
    public double kilowattHours(Instant now) {
        Duration on = lit() ? litFor.plus(Duration.between(onSince, now)) : litFor;
        return wattage * (on.toMillis() / 3_600_000.0) / 1000.0;
    }
}
// end
