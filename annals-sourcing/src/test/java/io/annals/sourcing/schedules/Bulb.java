package io.annals.sourcing.schedules;

import io.annals.sourcing.api.AggregateType;

/** Events of an aggregate type that no handler of the schedule tests takes. */
@AggregateType("bulb")
public sealed interface Bulb {

    record SwitchedOn(int watts) implements Bulb {}
}
