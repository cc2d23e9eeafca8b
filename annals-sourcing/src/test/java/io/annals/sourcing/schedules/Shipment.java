package io.annals.sourcing.schedules;

import io.annals.sourcing.api.AggregateType;

/** The events the schedule tests dispatch: each carries its number in its aggregate, from 1. */
@AggregateType("shipment")
public sealed interface Shipment {

    int seq();

    record Scanned(int seq, String where) implements Shipment {}

    record Delivered(int seq) implements Shipment {}
}
