package io.annals.sourcing.api;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One link in the chain that every event passes on its way to the store (appends) or to a handler (deliveries).
 * A middleware passes the event on by calling {@code next} once (with the event itself or a changed copy, such as
 * {@link Recorded#withMeta}), drops it by not calling {@code next}, or rejects it by throwing (an append then
 * writes nothing; a delivery ends its subscription). Implementations used by several threads must be thread-safe.
 */
@FunctionalInterface
public interface Middleware {

    void handle(Recorded<?> event, Consumer<Recorded<?>> next);

    /**
     * Called after this middleware passed {@code event} on when it then did not get through after all: the append of
     * its batch failed, or a later event of the batch was rejected. The default does nothing; a filter that remembers
     * events it passed forgets this one, so that a retry is not taken for a repeat.
     */
    default void failed(Recorded<?> event, RuntimeException cause) {}

    /** This middleware, then {@code after}. */
    default Middleware andThen(Middleware after) {
        return chain(List.of(this, Objects.requireNonNull(after, "after")));
    }

    /** The middlewares in order; none passes every event on unchanged. */
    static Middleware chain(List<Middleware> middlewares) {
        return new MiddlewareChain(middlewares);
    }
}
