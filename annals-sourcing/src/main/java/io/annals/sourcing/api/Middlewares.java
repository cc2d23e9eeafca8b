package io.annals.sourcing.api;

import io.annals.core.api.InvalidEventException;
import io.annals.core.api.KeyValues;
import io.annals.sourcing.internal.IdempotencyFilter;
import io.annals.sourcing.internal.SharedIdempotencyFilter;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;

/** The middlewares annals-sourcing provides. See {@code EventMetrics} for counting with Micrometer. */
public final class Middlewares {
    private Middlewares() {}

    /**
     * Rejects every {@code type} event that {@code rule} refuses, with an {@link InvalidEventException} carrying
     * {@code message} and the event; other events pass.
     */
    public static <T> Middleware validate(Class<T> type, Predicate<? super T> rule, String message) {
        return (event, next) -> {
            if (type.isInstance(event.event()) && !rule.test(type.cast(event.event())))
                throw new InvalidEventException(message + ": " + event.event());
            next.accept(event);
        };
    }

    /**
     * Drops an event whose id this filter passed on within the last {@code ttl} (in this process, for up to
     * {@code maxIds} ids, least recently seen forgotten first). Events without an id pass. Thread-safe.
     */
    public static Middleware idempotent(Duration ttl, long maxIds) {
        return new IdempotencyFilter(ttl, maxIds, System::nanoTime);
    }

    /** {@link #idempotent(Duration, long)} on a given clock of nanoseconds (for tests). */
    public static Middleware idempotent(Duration ttl, long maxIds, LongSupplier nanoTime) {
        return new IdempotencyFilter(ttl, maxIds, nanoTime);
    }

    /**
     * Drops an event whose id any filter named {@code name} over {@code store} (in any process sharing the store)
     * passed on within the last {@code ttl} (rounded up to whole seconds): the first claim of an id wins, by a
     * {@link KeyValues#compareAndSet}. The claim is pending (for at most a minute) while the rest of the chain
     * handles the event, so a node that dies meanwhile blocks a retry only that long. The ids are spread over 1,024
     * spaces; see
     * {@link #idempotent(KeyValues, String, Duration, int)}. Events without an id pass. Thread-safe.
     */
    public static Middleware idempotent(KeyValues store, String name, Duration ttl) {
        return idempotent(store, name, ttl, 1024);
    }

    /**
     * {@link #idempotent(KeyValues, String, Duration)} over {@code buckets} spaces: choose them so that the ids
     * claimed within a TTL, divided by {@code buckets}, stay in the thousands (a space is one Cassandra partition).
     * Every filter of one name must use the same number of buckets.
     */
    public static Middleware idempotent(KeyValues store, String name, Duration ttl, int buckets) {
        return new SharedIdempotencyFilter(java.util.Objects.requireNonNull(store, "store"),
                java.util.Objects.requireNonNull(name, "name"), java.util.Objects.requireNonNull(ttl, "ttl"), buckets);
    }

    /** Logs every event at debug level, then passes it on. */
    public static Middleware logging(Logger log) {
        return (event, next) -> {
            if (log.isDebugEnabled())
                log.debug("{} {} at {} id {}: {}", event.event().getClass().getSimpleName(), event.aggregate(),
                        event.time(), event.id(), event.event());
            next.accept(event);
        };
    }
}
