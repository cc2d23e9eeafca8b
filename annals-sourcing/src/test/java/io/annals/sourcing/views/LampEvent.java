package io.annals.sourcing.views;

import io.annals.sourcing.api.AggregateType;
import io.annals.sourcing.api.Domain;
import io.annals.sourcing.api.Initial;
import io.annals.sourcing.api.Terminal;

/** The small domain of the view tests: lamps installed in rooms, rewired to another wattage, toggled, removed. */
@AggregateType("lamp")
public sealed interface LampEvent {

    @Initial
    record Installed(int watts, String room) implements LampEvent {}

    record Rewired(int watts) implements LampEvent {}

    record Toggled() implements LampEvent {}

    @Terminal
    record Removed() implements LampEvent {}

    /** Another aggregate type, whose events the lamp views never see. */
    @AggregateType("fuse")
    sealed interface FuseEvent {
        record Tripped() implements FuseEvent {}
    }

    Domain DOMAIN = Domain.builder().aggregate(LampEvent.class).aggregate(FuseEvent.class).build();
}
