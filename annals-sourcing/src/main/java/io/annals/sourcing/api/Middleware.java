package io.annals.sourcing.api;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One link in the chain that every event passes on its way to the store (appends) or to a handler (deliveries).
 * A middleware passes the event on by calling {@code next} (with the event itself or a changed copy, such as
 * {@link Recorded#withMeta}), drops it by not calling {@code next}, or rejects it by throwing (an append then
 * writes nothing; a delivery ends its subscription). Implementations used by several threads must be thread-safe.
 */
@FunctionalInterface
public interface Middleware {

    void handle(Recorded<?> event, Consumer<Recorded<?>> next);

    /** This middleware, then {@code after}. */
    default Middleware andThen(Middleware after) {
        Objects.requireNonNull(after, "after");
        return (event, next) -> handle(event, e -> after.handle(e, next));
    }

    /** The middlewares in order; none passes every event on unchanged. */
    static Middleware chain(List<Middleware> middlewares) {
        Middleware chain = (event, next) -> next.accept(event);
        for (Middleware m : middlewares) chain = chain.andThen(m);
        return chain;
    }
}
