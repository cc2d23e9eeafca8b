package io.annals.core.api;

import java.time.Instant;

/**
 * A range of event time: {@code start} inclusive, {@code end} exclusive; either may be open (null).
 * Read as a phrase: {@code TimeRange.from(a).until(b)}.
 */
public record TimeRange(Instant start, Instant end) {
    private static final TimeRange ALL = new TimeRange(null, null);

    public TimeRange {
        if (start != null && end != null && end.isBefore(start))
            throw new IllegalArgumentException("end (" + end + ") must not be before start (" + start + ")");
    }

    public static TimeRange all() {
        return ALL;
    }

    public static TimeRange from(Instant start) {
        return new TimeRange(start, null);
    }

    public static TimeRange before(Instant end) {
        return new TimeRange(null, end);
    }

    public TimeRange until(Instant newEnd) {
        return new TimeRange(start, newEnd);
    }

    public boolean contains(Instant time) {
        return (start == null || !time.isBefore(start)) && (end == null || time.isBefore(end));
    }

    public boolean isEmpty() {
        return start != null && end != null && !start.isBefore(end);
    }
}
