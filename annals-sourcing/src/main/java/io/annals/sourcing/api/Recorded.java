package io.annals.sourcing.api;

import io.annals.core.api.AggregateId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A typed event with its envelope: what middleware, histories and folds see. Immutable.
 *
 * @param id            null for an event on its way to the store without a client-chosen id
 * @param streamVersion its number in the aggregate's stream; 0 for an event not stored yet
 */
public record Recorded<E>(String id, AggregateId aggregate, Instant time, E event, Map<String, String> metadata,
                          long streamVersion) {

    public Recorded {
        Objects.requireNonNull(aggregate, "aggregate");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** This event with one more metadata entry (for middleware that annotates events on their way to the store). */
    public Recorded<E> withMeta(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(metadata);
        copy.put(key, value);
        return new Recorded<>(id, aggregate, time, event, copy, streamVersion);
    }
}
