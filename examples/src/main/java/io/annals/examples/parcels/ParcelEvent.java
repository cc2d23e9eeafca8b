package io.annals.examples.parcels;

import io.annals.sourcing.api.AggregateType;
import io.annals.sourcing.api.EventName;
import io.annals.sourcing.api.EventVersion;
import io.annals.sourcing.api.Initial;
import io.annals.sourcing.api.Terminal;

// guide:parcel-events
@AggregateType("parcel")
public sealed interface ParcelEvent {

    @Initial
    record ReceivedAtDepot(String depot) implements ParcelEvent {}

    record LoadedOntoTruck(String truck) implements ParcelEvent {}

    record DeliveryFailed(String reason) implements ParcelEvent {}

    @Terminal
    @EventName("parcel.delivered")
    @EventVersion(2) // version 1 had no signedBy; see Parcel.DELIVERED_V1_TO_V2
    record Delivered(String signedBy) implements ParcelEvent {}
}
// end
