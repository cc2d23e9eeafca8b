package io.annals.examples.lightbulbs;

import io.annals.examples.lightbulbs.LightbulbEvent.Created;
import io.annals.sourcing.api.AttributeIndex;
import io.annals.sourcing.api.Sourcing;

/** The views of the lightbulb example, kept in the store beside the events and resumed from their checkpoints. */
public final class LightbulbViews {
    private LightbulbViews() {}

    // guide:lightbulbs-by-wattage
    /** Lightbulbs by wattage: {@code byWattage(sourcing).find(60).ids()} are the 60 W bulbs. Close it when done. */
    public static AttributeIndex byWattage(Sourcing sourcing) {
        return AttributeIndex.of(sourcing, "lightbulbs-by-wattage", LightbulbEvent.class)
                .value(Created.class, Created::wattage)
                .start();
    }
    // end
}
