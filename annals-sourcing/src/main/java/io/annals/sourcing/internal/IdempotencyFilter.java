package io.annals.sourcing.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.annals.sourcing.api.Middleware;
import io.annals.sourcing.api.Recorded;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Drops repeats of an event id seen within a TTL, in process (a Caffeine cache of ids). An id whose event failed
 * further down the chain, or whose append failed, is forgotten, so that a retry passes. Thread-safe.
 */
public final class IdempotencyFilter implements Middleware {
    private final Cache<String, Boolean> seen;

    public IdempotencyFilter(Duration ttl, long maxIds, LongSupplier nanoTime) {
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive, not " + ttl);
        if (maxIds < 1) throw new IllegalArgumentException("maxIds must be at least 1, not " + maxIds);
        seen = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxIds).ticker(nanoTime::getAsLong)
                .executor(Runnable::run).build();
    }

    @Override
    public void handle(Recorded<?> event, Consumer<Recorded<?>> next) {
        if (event.id() == null) {
            next.accept(event);
            return;
        }
        // asMap().putIfAbsent is atomic: of two threads passing the same id at once, only one goes on
        if (seen.asMap().putIfAbsent(event.id(), Boolean.TRUE) != null) return;
        try {
            next.accept(event);
        } catch (RuntimeException e) {
            seen.invalidate(event.id()); // it did not get through, so a retry must not be dropped
            throw e;
        }
    }

    @Override
    public void failed(Recorded<?> event, RuntimeException cause) {
        if (event.id() != null) seen.invalidate(event.id()); // it was not stored, so a retry must not be dropped
    }
}
