package io.annals.core.api;

import java.util.List;
import java.util.Objects;

/**
 * One atomic append: all events are stored or none is. With an expected version other than {@link ExpectedVersion#any()},
 * every event must belong to the same aggregate, whose stream version is checked before anything is written.
 */
public record AppendRequest(List<NewEvent> events, ExpectedVersion expectedVersion) {
    public static final int MAX_EVENTS = 10_000;

    public AppendRequest {
        events = List.copyOf(events);
        Objects.requireNonNull(expectedVersion, "expectedVersion");
    }

    public static AppendRequest of(NewEvent... events) {
        return new AppendRequest(List.of(events), ExpectedVersion.any());
    }

    public static AppendRequest of(List<NewEvent> events) {
        return new AppendRequest(events, ExpectedVersion.any());
    }

    public AppendRequest expecting(ExpectedVersion expected) {
        return new AppendRequest(events, expected);
    }
}
