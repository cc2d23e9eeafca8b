package io.annals.sourcing.api;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.EventStore;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.Position;
import io.annals.core.api.Subscription;
import io.annals.sourcing.fixtures.Engines;
import io.annals.sourcing.fixtures.Parcel;
import io.annals.sourcing.fixtures.ParcelEvent;
import io.annals.sourcing.fixtures.ParcelEvent.LoadedOntoTruck;
import io.annals.sourcing.fixtures.ParcelEvent.ReceivedAtDepot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MiddlewareTest {
    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
    private static final AggregateId P1 = AggregateId.of("parcel", "p1");
    private final EventStore store = Engines.open("memory", null);

    @AfterEach
    void close() {
        store.close();
    }

    private static Recorded<?> event(String id) {
        return new Recorded<>(id, P1, T, new ReceivedAtDepot("Lewisham"), Map.of(), 0);
    }

    private static List<Recorded<?>> run(Middleware m, Recorded<?>... events) {
        List<Recorded<?>> out = new ArrayList<>();
        for (Recorded<?> e : events) m.handle(e, out::add);
        return out;
    }

    @Test
    void theIdempotencyFilterDropsRepeatsWithinItsTtlOnly() {
        AtomicLong nanos = new AtomicLong();
        Middleware filter = Middlewares.idempotent(Duration.ofMinutes(1), 1000, nanos::get);
        assertThat(run(filter, event("a"), event("b"), event("a"), event(null), event(null))).hasSize(4);
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(run(filter, event("a"))).isEmpty();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(run(filter, event("a"))).hasSize(1);
    }

    @Test
    void anEventThatFailedFurtherDownIsNotRememberedSoItsRetryPasses() {
        Middleware filter = Middlewares.idempotent(Duration.ofMinutes(1), 1000);
        Middleware failing = filter.andThen((e, next) -> { throw new IllegalStateException("store down"); });
        assertThatThrownBy(() -> run(failing, event("a"))).hasMessage("store down");
        assertThat(run(filter, event("a"))).hasSize(1);
    }

    @Test
    void aBatchRejectedAfterTheIdempotencyFilterLeavesNoIdRememberedSoItsRetryIsStored() {
        Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN)
                .appendThrough(Middlewares.idempotent(Duration.ofMinutes(10), 1000),
                        Middlewares.validate(LoadedOntoTruck.class, e -> !e.truck().isBlank(), "name the truck"))
                .build();
        assertThatThrownBy(() -> sourcing.events().batch()
                .add("p1", new ReceivedAtDepot("Lewisham"), at(T).id("a"))
                .add("p1", new LoadedOntoTruck(""), at(T.plusSeconds(1)).id("b"))
                .dispatch()).isInstanceOf(InvalidEventException.class);
        assertThat(sourcing.events().batch()
                .add("p1", new ReceivedAtDepot("Lewisham"), at(T).id("a"))
                .add("p1", new LoadedOntoTruck("t1"), at(T.plusSeconds(1)).id("b"))
                .dispatch().events()).hasSize(2);
        assertThat(store.streamVersion(P1)).isEqualTo(2);
    }

    @Test
    void anEventWhoseAppendFailedIsNotRememberedEither() {
        Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN)
                .appendThrough(Middlewares.idempotent(Duration.ofMinutes(10), 1000)).build();
        sourcing.events().dispatchTo("p1", new ReceivedAtDepot("Lewisham"), at(T).id("a"));
        Sourcing other = Sourcing.on(store, Parcel.DOMAIN)
                .appendThrough(Middlewares.idempotent(Duration.ofMinutes(10), 1000)).build();
        // the same id with other content is refused by the store, every time: the filter must not hide the second
        for (int i = 0; i < 2; i++)
            assertThatThrownBy(() -> other.events().dispatchTo("p1", new ReceivedAtDepot("Deptford"), at(T).id("a")))
                    .isInstanceOf(io.annals.core.api.DuplicateIdConflictException.class);
    }

    @Test
    void middlewaresRunInOrderAndMayChangeTheEvent() {
        List<String> calls = new ArrayList<>();
        Middleware chain = Middleware.chain(List.of(
                (e, next) -> { calls.add("first"); next.accept(e.withMeta("traced", "yes")); },
                (e, next) -> { calls.add("second " + e.metadata()); next.accept(e); }));
        assertThat(run(chain, event("a"))).singleElement().extracting(Recorded::metadata)
                .isEqualTo(Map.of("traced", "yes"));
        assertThat(calls).containsExactly("first", "second {traced=yes}");
    }

    @Test
    void aValidationFailureRejectsTheWholeBatchAndWritesNothing() {
        Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN)
                .appendThrough(Middlewares.validate(LoadedOntoTruck.class, e -> !e.truck().isBlank(),
                        "a parcel must be loaded onto a named truck"))
                .build();
        assertThatThrownBy(() -> sourcing.events().batch()
                .add("p1", new ReceivedAtDepot("Lewisham"), at(T))
                .add("p1", new LoadedOntoTruck(" "), at(T.plusSeconds(1)))
                .dispatch())
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("a parcel must be loaded onto a named truck");
        assertThat(store.streamVersion(P1)).isZero();
    }

    @Test
    void metadataAddedByMiddlewareIsStoredAndMetricsCountWhatPassed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN)
                .appendThrough((e, next) -> next.accept(e.withMeta("node", "n1")),
                        Middlewares.logging(org.slf4j.LoggerFactory.getLogger("test")),
                        EventMetrics.counting(registry, "parcel.appends"))
                .build();
        sourcing.events().dispatchTo("p1", new ReceivedAtDepot("Lewisham"), at(T).meta("scanner", "s9"));
        assertThat(sourcing.history(ParcelEvent.class, "p1").list()).singleElement()
                .extracting(Recorded::metadata).isEqualTo(Map.of("scanner", "s9", "node", "n1"));
        assertThat(registry.get("parcel.appends").tag("event", "ReceivedAtDepot").counter().count()).isEqualTo(1);
    }

    @Test
    void deliveriesPassTheirChainSoARedeliveryIsDropped() throws Exception {
        Middleware idempotent = Middlewares.idempotent(Duration.ofMinutes(10), 1000);
        Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN).deliverThrough(idempotent).build();
        sourcing.events().dispatchTo("p1", new ReceivedAtDepot("Lewisham"), at(T));
        sourcing.events().dispatchTo("p1", new LoadedOntoTruck("t1"), at(T.plusSeconds(1)));
        store.append(io.annals.core.api.NewEvent.ofType("other").payload("{}").build()); // not a parcel's

        List<Object> seen = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        try (Subscription s = sourcing.subscribe(ParcelEvent.class, Position.start(),
                r -> { seen.add(r.event()); two.countDown(); })) {
            assertThat(two.await(30, TimeUnit.SECONDS)).isTrue();
        }
        // a second subscription from the start through the same filter: both events are repeats
        CountDownLatch third = new CountDownLatch(1);
        try (Subscription s = sourcing.subscribe(ParcelEvent.class, Position.start(),
                r -> { seen.add(r.event()); third.countDown(); })) {
            sourcing.events().dispatchTo("p1", new ParcelEvent.DeliveryFailed("closed"), at(T.plusSeconds(2)));
            assertThat(third.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).containsExactly(new ReceivedAtDepot("Lewisham"), new LoadedOntoTruck("t1"),
                new ParcelEvent.DeliveryFailed("closed"));
    }
}
