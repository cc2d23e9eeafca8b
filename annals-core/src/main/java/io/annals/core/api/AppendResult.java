package io.annals.core.api;

import java.util.List;

/** The outcome of an {@link AppendRequest}, one entry per event in request order. */
public record AppendResult(List<Appended> events) {
    public AppendResult {
        events = List.copyOf(events);
    }

    /** True when every event was already stored (nothing new was written). */
    public boolean allDuplicates() {
        return events.stream().allMatch(Appended::duplicate);
    }
}
