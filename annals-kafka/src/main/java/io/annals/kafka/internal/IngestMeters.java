package io.annals.kafka.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest's meters, tagged {@code group=<consumer group>}: {@code annals.ingest.events} by outcome
 * ({@code appended}, {@code duplicate}), {@code annals.ingest.dead.letters} (records sent to the dead-letter topic)
 * and {@code annals.ingest.errors} (rounds retried because the store or the dead-letter topic failed).
 */
public final class IngestMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter appended;
    private final Counter duplicate;
    private final Counter deadLetters;
    private final Counter errors;

    public IngestMeters(MeterRegistry registry, String group) {
        this.registry = registry;
        if (registry == null) {
            appended = duplicate = deadLetters = errors = null;
            return;
        }
        appended = add(Counter.builder("annals.ingest.events").tags("group", group, "outcome", "appended")
                .description("events consumed from Kafka, by what the store did with them").register(registry));
        duplicate = add(Counter.builder("annals.ingest.events").tags("group", group, "outcome", "duplicate")
                .description("events consumed from Kafka, by what the store did with them").register(registry));
        deadLetters = add(Counter.builder("annals.ingest.dead.letters").tag("group", group)
                .description("records that could not be stored, sent to the dead-letter topic").register(registry));
        errors = add(Counter.builder("annals.ingest.errors").tag("group", group)
                .description("rounds retried because the store or the dead-letter topic failed").register(registry));
    }

    private Counter add(Counter c) {
        meters.add(c);
        return c;
    }

    void appended(int stored, int duplicates) {
        if (appended == null) return;
        if (stored > 0) appended.increment(stored);
        if (duplicates > 0) duplicate.increment(duplicates);
    }

    void deadLettered() {
        if (deadLetters != null) deadLetters.increment();
    }

    void error() {
        if (errors != null) errors.increment();
    }

    @Override
    public void close() {
        if (registry != null) meters.forEach(registry::remove);
    }
}
