package io.annals.core.api;

import java.util.Objects;

/**
 * The opaque place of an event in the global log (capture order). Each engine chooses its own encoding;
 * callers only store positions and hand them back. {@link #start()} stands before the first event, {@link #end()}
 * after the last one stored at the time it is used.
 */
public record Position(String value) {
    private static final Position START = new Position("start");
    private static final Position END = new Position("end");

    public Position {
        Objects.requireNonNull(value, "position");
        if (value.isEmpty()) throw new IllegalArgumentException("a position must not be empty");
    }

    /** The position before the first event of the log. */
    public static Position start() {
        return START;
    }

    /**
     * The head of the log when the position is used: a read or subscription from it sees only events stored later.
     * The store resolves it to an ordinary position (a subscription's {@link Subscription#position()}).
     */
    public static Position end() {
        return END;
    }

    public static Position of(String value) {
        return new Position(value);
    }

    public boolean isStart() {
        return this.equals(START);
    }

    public boolean isEnd() {
        return this.equals(END);
    }

    @Override
    public String toString() {
        return value;
    }
}
