package io.annals.sourcing.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Micrometer metrics as middleware, in a class of their own so that Micrometer (an optional dependency) is needed
 * only by applications that use it.
 */
public final class EventMetrics {
    private EventMetrics() {}

    /**
     * Counts the events that reach this point of a chain in the counter {@code name}, tagged {@code event} with the
     * record's simple name; put it last to count what passed every filter.
     */
    public static Middleware counting(MeterRegistry registry, String name) {
        return (event, next) -> {
            Counter.builder(name).tag("event", event.event().getClass().getSimpleName()).register(registry).increment();
            next.accept(event);
        };
    }
}
