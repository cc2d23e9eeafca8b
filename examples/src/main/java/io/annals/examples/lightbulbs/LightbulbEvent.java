package io.annals.examples.lightbulbs;

import io.annals.sourcing.api.AggregateType;
import io.annals.sourcing.api.Initial;
import io.annals.sourcing.api.Terminal;

// guide:lightbulb-events
@AggregateType("lightbulb")
public sealed interface LightbulbEvent {

    @Initial
    record Created(int wattage) implements LightbulbEvent {}

    record ScrewedIn(String location) implements LightbulbEvent {}

    record SwitchedOn() implements LightbulbEvent {}

    record SwitchedOff() implements LightbulbEvent {}

    @Terminal
    record Blown() implements LightbulbEvent {}
}
// end
