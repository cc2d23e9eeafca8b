package io.annals.core.api;

import java.util.Objects;

/**
 * The opaque place of an event in the global log (capture order). Each engine chooses its own encoding;
 * callers only store positions and hand them back. {@link #start()} stands before the first event.
 */
public record Position(String value) {
    private static final Position START = new Position("start");

    public Position {
        Objects.requireNonNull(value, "position");
        if (value.isEmpty()) throw new IllegalArgumentException("a position must not be empty");
    }

    /** The position before the first event of the log. */
    public static Position start() {
        return START;
    }

    public static Position of(String value) {
        return new Position(value);
    }

    public boolean isStart() {
        return this.equals(START);
    }

    @Override
    public String toString() {
        return value;
    }
}
