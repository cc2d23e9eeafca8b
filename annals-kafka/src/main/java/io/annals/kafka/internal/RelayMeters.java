package io.annals.kafka.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The relay's meters, tagged {@code relay=<name>}: {@code annals.relay.published} (events acknowledged by Kafka),
 * {@code annals.relay.errors} (failed sends and reads, each followed by a retry), {@code annals.relay.lag} (seconds:
 * age of the oldest event read and not yet acknowledged) and {@code annals.relay.outbox.depth} (events read and not
 * yet acknowledged). Without a registry nothing is recorded.
 */
public final class RelayMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter published;
    private final Counter errors;

    public RelayMeters(MeterRegistry registry, String name, Supplier<Double> lagSeconds, Supplier<Integer> depth) {
        this.registry = registry;
        if (registry == null) {
            published = null;
            errors = null;
            return;
        }
        published = add(Counter.builder("annals.relay.published").tag("relay", name)
                .description("events published to Kafka and acknowledged").register(registry));
        errors = add(Counter.builder("annals.relay.errors").tag("relay", name)
                .description("failed sends or log reads; the relay retries from its checkpoint").register(registry));
        add(Gauge.builder("annals.relay.lag", lagSeconds::get).tag("relay", name).baseUnit("seconds")
                .description("age of the oldest event read from the log and not yet acknowledged by Kafka").register(registry));
        add(Gauge.builder("annals.relay.outbox.depth", () -> depth.get()).tag("relay", name)
                .description("events read from the log and not yet acknowledged by Kafka").register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    void published(int events) {
        if (published != null) published.increment(events);
    }

    void error() {
        if (errors != null) errors.increment();
    }

    @Override
    public void close() {
        if (registry != null) meters.forEach(registry::remove);
    }
}
