package io.annals.core.api;

import java.util.Objects;

/**
 * Identifies one aggregate: its type (for example {@code parcel}) and its id within that type.
 * An aggregate's events form one stream, numbered 1, 2, ... in append order.
 */
public record AggregateId(String type, String id) {
    public static final int MAX_LENGTH = 256;

    public AggregateId {
        requireText(type, "aggregate.type");
        requireText(id, "aggregate.id");
    }

    public static AggregateId of(String type, String id) {
        return new AggregateId(type, id);
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name + " is required");
        if (value.isEmpty()) throw new InvalidEventException(name + " must not be empty");
        if (value.length() > MAX_LENGTH)
            throw new InvalidEventException(name + " is longer than " + MAX_LENGTH + " characters");
    }

    @Override
    public String toString() {
        return type + "/" + id;
    }
}
