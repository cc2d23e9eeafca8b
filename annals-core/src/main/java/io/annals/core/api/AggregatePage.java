package io.annals.core.api;

import java.util.List;

/** A page of an aggregate's history, with the stream's current version at read time (0 if it does not exist). */
public record AggregatePage(List<Event> events, Cursor next, long streamVersion) {
    public AggregatePage {
        events = List.copyOf(events);
    }

    public boolean hasMore() {
        return next != null;
    }
}
