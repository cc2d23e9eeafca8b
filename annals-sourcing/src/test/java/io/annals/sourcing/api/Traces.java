package io.annals.sourcing.api;

import java.util.ArrayList;
import java.util.List;

/** A domain whose state is the order its events were folded in, so that any slip of order or any repeat shows. */
final class Traces {
    private Traces() {}

    @AggregateType("trace")
    sealed interface TraceEvent {
        @Initial
        record Opened(String n) implements TraceEvent {}

        record Stepped(String n) implements TraceEvent {}

        @Terminal
        record Closed(String n) implements TraceEvent {}
    }

    record Trace(List<String> folded) {
        static final Trace EMPTY = new Trace(List.of());

        Trace plus(String what) {
            List<String> more = new ArrayList<>(folded);
            more.add(what);
            return new Trace(more);
        }
    }

    static final Fold<Trace, TraceEvent> FOLD = Fold.of(TraceEvent.class, Trace.EMPTY)
            .on(TraceEvent.Opened.class, (t, e) -> t.plus("opened " + e.n()))
            .on(TraceEvent.Stepped.class, (t, e) -> t.plus("stepped " + e.n()))
            .on(TraceEvent.Closed.class, (t, e) -> t.plus("closed " + e.n()));

    static final Domain DOMAIN = Domain.builder().aggregate(TraceEvent.class).build();
}
