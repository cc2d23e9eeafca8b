package io.annals.sourcing.api;

import java.util.List;
import java.util.function.Consumer;

/** Middlewares in a row; {@link #failed} reaches each of them. */
final class MiddlewareChain implements Middleware {
    private final List<Middleware> links;

    MiddlewareChain(List<Middleware> links) {
        this.links = List.copyOf(links);
    }

    @Override
    public void handle(Recorded<?> event, Consumer<Recorded<?>> next) {
        handle(0, event, next);
    }

    private void handle(int i, Recorded<?> event, Consumer<Recorded<?>> next) {
        if (i == links.size()) next.accept(event);
        else links.get(i).handle(event, e -> handle(i + 1, e, next));
    }

    @Override
    public void failed(Recorded<?> event, RuntimeException cause) {
        for (Middleware m : links) m.failed(event, cause);
    }
}
