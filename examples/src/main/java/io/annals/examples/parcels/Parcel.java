package io.annals.examples.parcels;

import io.annals.examples.parcels.ParcelEvent.Delivered;
import io.annals.examples.parcels.ParcelEvent.DeliveryFailed;
import io.annals.examples.parcels.ParcelEvent.LoadedOntoTruck;
import io.annals.examples.parcels.ParcelEvent.ReceivedAtDepot;
import io.annals.sourcing.api.Domain;
import io.annals.sourcing.api.Fold;
import io.annals.sourcing.api.Upcaster;

// guide:parcel-state
/** A parcel's state, folded from its events by pure transitions. */
public record Parcel(Status status, String depot, String truck, int failedAttempts, String signedBy) {

    public enum Status { UNKNOWN, AT_DEPOT, OUT_FOR_DELIVERY, DELIVERED }

    public static final Parcel UNKNOWN = new Parcel(Status.UNKNOWN, null, null, 0, null);

    public static final Fold<Parcel, ParcelEvent> FOLD = Fold.of(ParcelEvent.class, UNKNOWN)
            .on(ReceivedAtDepot.class, (p, e) -> new Parcel(Status.AT_DEPOT, e.depot(), null, p.failedAttempts, null))
            .on(LoadedOntoTruck.class, (p, e) -> new Parcel(Status.OUT_FOR_DELIVERY, p.depot, e.truck(),
                    p.failedAttempts, null))
            .on(DeliveryFailed.class, (p, e) -> new Parcel(Status.AT_DEPOT, p.depot, null, p.failedAttempts + 1, null))
            .on(Delivered.class, (p, e) -> new Parcel(Status.DELIVERED, p.depot, p.truck, p.failedAttempts,
                    e.signedBy()));

    /** Version 1 of parcel.delivered had no signature. */
    public static final Upcaster DELIVERED_V1_TO_V2 =
            Upcaster.from("parcel.delivered", 1).to(2, payload -> payload.put("signedBy", "unknown"));

    public static final Domain DOMAIN = Domain.builder()
            .aggregate(ParcelEvent.class)
            .upcaster(DELIVERED_V1_TO_V2)
            .build();
}
// end
