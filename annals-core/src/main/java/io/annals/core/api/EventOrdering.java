package io.annals.core.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The order of histories and queries: event time, then the id's UTF-8 bytes compared unsigned (never
 * {@code UUID.compareTo}, whose signed comparison disagrees with the byte order engines store).
 */
public final class EventOrdering {
    public static final Comparator<Event> ASCENDING = EventOrdering::compare;

    private EventOrdering() {}

    public static int compare(Event a, Event b) {
        int byTime = a.time().compareTo(b.time());
        return byTime != 0 ? byTime : compareIds(a.id(), b.id());
    }

    /** Compares an event with a cursor position: negative when the event sorts before it. */
    public static int compare(Event e, Cursor c) {
        int byTime = e.time().compareTo(c.time());
        return byTime != 0 ? byTime : compareIds(e.id(), c.id());
    }

    public static int compareIds(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
