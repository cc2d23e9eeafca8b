package io.annals.core.api;

import java.util.Map;
import java.util.Optional;

/**
 * Named positions that a store keeps beside its events: the checkpoints of durable subscriptions and the place
 * of the Kafka relay. A {@link #put} is durable when it returns (like an append). Names are 1 to 256 characters of
 * well-formed Unicode; other names, and such prefixes, are refused with an {@link IllegalArgumentException}.
 * Names sort by code point (the order of their UTF-8 bytes). Thread-safe; the last put of a name wins. On a closed
 * store every call fails with {@link StoreUnavailableException}.
 */
public interface Checkpoints {

    Optional<Position> get(String name);

    void put(String name, Position position);

    /** Removes the name; nothing happens if it is absent. */
    void delete(String name);

    /** Every stored name that starts with {@code prefix} (all of them for ""), in name order, with its position. */
    Map<String, Position> list(String prefix);
}
