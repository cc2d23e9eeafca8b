package io.annals.core.api;

import java.util.List;

/**
 * Events of the global log in capture order, and the position to continue from: pass {@code next} as the
 * {@code after} of the next read (it equals the argument when nothing new was found).
 */
public record LogPage(List<Event> events, Position next) {
    public LogPage {
        events = List.copyOf(events);
    }
}
