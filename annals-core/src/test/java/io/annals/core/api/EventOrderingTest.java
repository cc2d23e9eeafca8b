package io.annals.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventOrderingTest {
    private static final Instant T = Instant.parse("2016-03-31T10:36:42.171234Z");

    private static Event at(Instant time, String id) {
        return new Event(id, "t", 1, null, null, time, T, null, null, null, null, null, 0);
    }

    @Test
    void eventTimeComesFirst() {
        Event early = at(T, "z");
        Event late = at(T.plusNanos(1000), "a");
        assertThat(EventOrdering.compare(early, late)).isNegative();
        assertThat(EventOrdering.compare(late, early)).isPositive();
        assertThat(EventOrdering.compare(early, at(T, "z"))).isZero();
    }

    @Test
    void tiesBreakByUtf8BytesUnsignedNotByStringOrUuidOrder() {
        // String.compareTo puts U+FFFD after the surrogate pair of U+1F600; UTF-8 bytes put it before
        assertThat("\uFFFD".compareTo("\uD83D\uDE00")).isPositive();
        assertThat(EventOrdering.compareIds("\uFFFD", "\uD83D\uDE00")).isNegative();
        // UUID.compareTo compares signed longs: 8000... sorts before 7fff...
        String high = "80000000-0000-7000-8000-000000000000";
        String low = "7fffffff-0000-7000-8000-000000000000";
        assertThat(UUID.fromString(high).compareTo(UUID.fromString(low))).isNegative();
        assertThat(EventOrdering.compareIds(low, high)).isNegative();
        assertThat(EventOrdering.compareIds("B", "a")).isNegative();
        assertThat(EventOrdering.compareIds("a", "ab")).isNegative();
        assertThat(EventOrdering.compareIds("\u00e9", "z")).isPositive();

        List<Event> events = new ArrayList<>();
        for (String id : List.of("\uD83D\uDE00", "\uFFFD", "\u00e9", "b", "ab", "a", "B", high, low)) events.add(at(T, id));
        Collections.shuffle(events, new java.util.Random(7));
        events.sort(EventOrdering.ASCENDING);
        assertThat(events).extracting(Event::id)
                .containsExactly(low, high, "B", "a", "ab", "b", "\u00e9", "\uFFFD", "\uD83D\uDE00");
    }

    @Test
    void cursorComparesLikeTheEventItWasTakenFrom() {
        Event e = at(T, "m");
        assertThat(EventOrdering.compare(e, Cursor.after(e))).isZero();
        assertThat(EventOrdering.compare(e, new Cursor(T, "n"))).isNegative();
        assertThat(EventOrdering.compare(e, new Cursor(T, "l"))).isPositive();
        assertThat(EventOrdering.compare(e, new Cursor(T.minusNanos(1000), "z"))).isPositive();
    }
}
