package io.annals.sourcing.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * When an emitted event happened, and optionally its id (the idempotency key: a repeat with the same id and content
 * is stored once) and metadata. Reads as a phrase: {@code at(time)}, {@code at(time).id("scan-42")}. Immutable.
 *
 * @param id null to let the store assign one
 */
public record At(Instant time, String id, Map<String, String> metadata) {

    public At {
        Objects.requireNonNull(time, "time");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static At at(Instant time) {
        return new At(time, null, Map.of());
    }

    /** This moment, with {@code eventId} as the event's id. */
    public At id(String eventId) {
        return new At(time, Objects.requireNonNull(eventId, "id"), metadata);
    }

    /** This moment, with one more metadata entry. */
    public At meta(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(metadata);
        copy.put(key, value);
        return new At(time, id, copy);
    }
}
