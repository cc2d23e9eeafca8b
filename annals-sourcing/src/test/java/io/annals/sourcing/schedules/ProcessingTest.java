package io.annals.sourcing.schedules;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import io.annals.sourcing.api.Domain;
import io.annals.sourcing.api.Middlewares;
import io.annals.sourcing.api.Processing;
import io.annals.sourcing.api.Recorded;
import io.annals.sourcing.api.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Setting up a processing: configuration, handler registration, and mistakes reported at start. */
class ProcessingTest {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessingTest.class);
    private final Domain domain = Domain.builder().aggregate(Shipment.class).aggregate(Bulb.class).build();
    private final EventStore store = EventStores.open("memory", EngineSettings.of(null));
    private final Instant time = Instant.parse("2026-11-30T10:00:00Z");

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theScheduleComesFromConfigurationAndTheHandlersAreTheSame() {
        List<Recorded<Shipment>> tracker = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger deliveries = new AtomicInteger();
        // guide:processing
        Map<String, String> settings = Map.of("schedule", "transient", "name", "shipment-tracker"); // from configuration
        Processing tracking = Processing.builder(domain).configure(settings)
                .store(store)                                          // used when the schedule is persistent
                .appendThrough(Middlewares.idempotent(Duration.ofMinutes(10), 100_000))
                .deliverThrough(Middlewares.logging(LOG))
                .on(Shipment.class, tracker::add)                      // every shipment event
                .on(Shipment.Delivered.class, delivered -> deliveries.incrementAndGet()) // one record
                .start();
        tracking.dispatchTo("s-1", new Shipment.Scanned(1, "Lewisham"), at(time).id("scan-1"));
        tracking.dispatchTo("s-1", new Shipment.Scanned(1, "Lewisham"), at(time).id("scan-1")); // a repeat: dropped
        tracking.dispatchTo("s-1", new Shipment.Delivered(2), at(time.plusSeconds(60)));
        tracking.close();                                              // a transient processing delivers what it has first
        // end
        assertThat(tracking.schedule()).isEqualTo(Schedule.TRANSIENT);
        assertThat(tracking.name()).isEqualTo("shipment-tracker");
        assertThat(tracker).extracting(r -> r.event().seq()).containsExactly(1, 2);
        assertThat(tracker.get(0).id()).isEqualTo("scan-1");
        assertThat(tracker.get(1).id()).isNotBlank();
        assertThat(deliveries).hasValue(1);
        assertThat(store.readLog(io.annals.core.api.Position.start(), 10).events()).as("nothing kept").isEmpty();
        assertThatThrownBy(() -> tracking.dispatchTo("s-1", new Shipment.Delivered(3), at(time)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void persistentProcessingKeepsItsCheckpointInTheStore() throws InterruptedException {
        List<Recorded<Shipment>> handled = Collections.synchronizedList(new ArrayList<>());
        try (Processing p = Processing.builder(domain).configure(Map.of("schedule", "PERSISTENT", "name", "views"))
                .store(store).on(Shipment.class, handled::add).start()) {
            p.dispatchTo("s-1", new Shipment.Scanned(1, "Lewisham"), at(time));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (store.checkpoints().get(Processing.checkpointName("views")).isEmpty() && System.nanoTime() < deadline)
                Thread.sleep(10);
        }
        assertThat(handled).hasSize(1);
        assertThat(handled.get(0).streamVersion()).isEqualTo(1);
        assertThat(store.checkpoints().get("processing/views")).isPresent();
    }

    @Test
    void settingsThatMeanNothingAreRefused() {
        assertThatThrownBy(() -> Processing.builder(domain).configure(Map.of("schedule", "eventually")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown processing schedule 'eventually': use one of [transient, durable, persistent]");
        assertThatThrownBy(() -> Processing.builder(domain).configure(Map.of("shedule", "transient")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown processing setting 'shedule'");
        assertThatThrownBy(() -> Processing.builder(domain).configure(Map.of("transient.capacity", "lots")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Processing.builder(domain).name(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHandlerThatCouldNeverFireIsRefusedAtOnce() {
        assertThatThrownBy(() -> Processing.builder(domain).on(String.class, e -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an event of this domain");
        assertThatThrownBy(() -> Processing.builder(domain).on(Runnable.class, e -> {}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not registered with this domain");
    }

    @Test
    void whatTheScheduleNeedsIsCheckedAtStart() {
        assertThatThrownBy(() -> Processing.builder(domain).on(Shipment.class, e -> {}).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("choose a schedule");
        assertThatThrownBy(() -> Processing.builder(domain).schedule(Schedule.TRANSIENT).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("register a handler");
        assertThatThrownBy(() -> Processing.builder(domain).schedule(Schedule.PERSISTENT).on(Shipment.class, e -> {}).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a store");
        assertThatThrownBy(() -> Processing.builder(domain).schedule(Schedule.DURABLE).on(Shipment.class, e -> {}).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("annals-kafka");
    }
}
