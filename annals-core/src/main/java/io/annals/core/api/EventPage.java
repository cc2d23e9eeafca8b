package io.annals.core.api;

import java.util.List;

/**
 * One page of a {@link Query}. {@code next} is present when more matching events existed at read time;
 * pass it to {@link Query#after(Cursor)} (and drop {@code startOffset}) for the next page.
 */
public record EventPage(List<Event> events, Cursor next) {
    public EventPage {
        events = List.copyOf(events);
    }

    public boolean hasMore() {
        return next != null;
    }
}
