package io.annals.examples.parcels;

import io.annals.sourcing.api.Catalogue;
import io.annals.sourcing.api.Sourcing;

/** The views of the parcel example, kept in the store beside the events and resumed from their checkpoints. */
public final class ParcelViews {
    private ParcelViews() {}

    // guide:parcels-in-transit
    /**
     * The parcels in transit: received at a depot ({@code @Initial}) and not delivered yet ({@code @Terminal}),
     * whatever order their scans arrive in. Close it when done.
     */
    public static Catalogue inTransit(Sourcing sourcing) {
        return Catalogue.of(sourcing, "parcels-in-transit", ParcelEvent.class).start();
    }
    // end
}
