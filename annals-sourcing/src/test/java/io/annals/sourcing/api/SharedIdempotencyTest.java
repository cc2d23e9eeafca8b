package io.annals.sourcing.api;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.KeyValues;
import io.annals.core.api.Position;
import io.annals.core.api.Subscription;
import io.annals.core.spi.EngineSettings;
import io.annals.sourcing.fixtures.Parcel;
import io.annals.sourcing.fixtures.ParcelEvent;
import io.annals.sourcing.fixtures.ParcelEvent.LoadedOntoTruck;
import io.annals.sourcing.fixtures.ParcelEvent.ReceivedAtDepot;
import io.annals.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store-backed idempotency filter: two Sourcing instances (two nodes) over one store share their claims. */
class SharedIdempotencyTest {
    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-06-01T00:00:00Z"));
    private EventStore store;

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    private KeyValues open(String engine) {
        store = EventStores.open(engine, new EngineSettings(engine.equals("memory") ? null : dir,
                engine.equals("memory") ? Map.of() : Map.of("sync", "none"), clock));
        return store.keyValues();
    }

    private Sourcing node(Middleware filter) {
        return Sourcing.on(store, Parcel.DOMAIN).appendThrough(filter).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void theFirstClaimOfAnIdWinsOnEveryNodeWithinTheTtl(String engine) {
        KeyValues kv = open(engine);
        Sourcing a = node(Middlewares.idempotent(kv, "parcels", Duration.ofMinutes(1)));
        Sourcing b = node(Middlewares.idempotent(kv, "parcels", Duration.ofMinutes(1)));
        a.events().dispatchTo("p1", new ReceivedAtDepot("Lewisham"), at(T).id("scan-1"));
        // other content under the same id: the store would refuse it; the filter drops it first
        b.events().dispatchTo("p1", new ReceivedAtDepot("Deptford"), at(T).id("scan-1"));
        a.events().dispatchTo("p1", new ReceivedAtDepot("Deptford"), at(T).id("scan-1"));
        assertThat(a.history(ParcelEvent.class, "p1").list()).extracting(Recorded::event)
                .containsExactly(new ReceivedAtDepot("Lewisham"));

        List<String> passed = new CopyOnWriteArrayList<>();
        Sourcing c = Sourcing.on(store, Parcel.DOMAIN).appendThrough(
                Middlewares.idempotent(kv, "parcels", Duration.ofMinutes(1)), (e, next) -> {
                    passed.add(e.id());
                    next.accept(e);
                }).build();
        clock.advance(Duration.ofSeconds(59));
        c.events().dispatchTo("p1", new ReceivedAtDepot("Lewisham"), at(T).id("scan-1"));
        assertThat(passed).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        c.events().dispatchTo("p1", new ReceivedAtDepot("Lewisham"), at(T).id("scan-1")); // the claim expired
        assertThat(passed).containsExactly("scan-1");
        assertThat(store.streamVersion(AggregateId.of("parcel", "p1"))).isEqualTo(1); // the store keeps it once
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void theGuidesExample(String engine) {
        open(engine);
        List<Sourcing> nodes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // guide:shared-idempotency
            Middleware once = Middlewares.idempotent(store.keyValues(), "parcel-scans", Duration.ofMinutes(10));
            Sourcing node = Sourcing.on(store, Parcel.DOMAIN).appendThrough(once).build();
            // end
            nodes.add(node);
        }
        assertThat(nodes.get(0).events().dispatchTo("p1", new ReceivedAtDepot("Lewisham"), at(T).id("scan-1"))
                .events()).hasSize(1);
        assertThat(nodes.get(1).events().dispatchTo("p1", new ReceivedAtDepot("Deptford"), at(T).id("scan-1"))
                .events()).isEmpty(); // dropped by the second node: the first claimed scan-1
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aClaimWhoseEventFailedIsGivenUpSoAnotherNodesRetryPasses(String engine) {
        KeyValues kv = open(engine);
        Middleware filter = Middlewares.idempotent(kv, "parcels", Duration.ofMinutes(10));
        Sourcing a = Sourcing.on(store, Parcel.DOMAIN).appendThrough(filter,
                Middlewares.validate(LoadedOntoTruck.class, e -> !e.truck().isBlank(), "name the truck")).build();
        assertThatThrownBy(() -> a.events().batch()
                .add("p1", new ReceivedAtDepot("Lewisham"), at(T).id("r"))
                .add("p1", new LoadedOntoTruck(""), at(T.plusSeconds(1)).id("l"))
                .dispatch()).hasMessageContaining("name the truck");
        Middleware failing = filter.andThen((e, next) -> { throw new IllegalStateException("down"); });
        assertThatThrownBy(() -> failing.handle(new Recorded<>("x", AggregateId.of("parcel", "p9"), T,
                new ReceivedAtDepot("Lewisham"), Map.of(), 0), e -> {})).hasMessage("down");

        Sourcing b = node(Middlewares.idempotent(kv, "parcels", Duration.ofMinutes(10)));
        b.events().batch()
                .add("p1", new ReceivedAtDepot("Lewisham"), at(T).id("r"))
                .add("p1", new LoadedOntoTruck("t1"), at(T.plusSeconds(1)).id("l"))
                .add("p9", new ReceivedAtDepot("Lewisham"), at(T).id("x"))
                .dispatch();
        assertThat(store.streamVersion(AggregateId.of("parcel", "p1"))).isEqualTo(2);
        assertThat(store.streamVersion(AggregateId.of("parcel", "p9"))).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aNodeThatDiesWhileHandlingBlocksARetryForAMinuteNotTheWholeTtl(String engine) {
        KeyValues kv = open(engine);
        Middleware dying = Middlewares.idempotent(kv, "handler", Duration.ofHours(1));
        Recorded<?> event = new Recorded<>("e1", AggregateId.of("parcel", "p1"), T, new ReceivedAtDepot("Lewisham"),
                Map.of(), 1);
        // an Error passes the filter untouched, as if the process had died in the handler
        assertThatThrownBy(() -> dying.handle(event, e -> { throw new OutOfMemoryError("gone"); }))
                .isInstanceOf(OutOfMemoryError.class);

        Middleware other = Middlewares.idempotent(kv, "handler", Duration.ofHours(1));
        List<Recorded<?>> handled = new ArrayList<>();
        other.handle(event, handled::add);
        assertThat(handled).as("the claim is pending").isEmpty();
        clock.advance(Duration.ofMinutes(1));
        other.handle(event, handled::add);
        assertThat(handled).as("the pending claim lapsed").hasSize(1);

        clock.advance(Duration.ofMinutes(60).minusSeconds(1)); // the TTL runs from when the handling ended
        dying.handle(event, handled::add);
        assertThat(handled).as("the handled claim holds for the TTL").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        dying.handle(event, handled::add);
        assertThat(handled).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void twoNodesSubscribedThroughTheFilterHandleEachEventOnceBetweenThem(String engine) throws Exception {
        KeyValues kv = open(engine);
        int n = 200;
        Sourcing writer = Sourcing.on(store, Parcel.DOMAIN).build();
        for (int i = 0; i < n; i++)
            writer.events().dispatchTo("p" + (i % 7), new LoadedOntoTruck("t" + i), at(T.plusSeconds(i)).id("e" + i));

        CountDownLatch allSeen = new CountDownLatch(2 * n);
        List<List<Object>> handled = new ArrayList<>();
        List<Subscription> subscriptions = new ArrayList<>();
        try {
            for (int node = 0; node < 2; node++) {
                List<Object> mine = new CopyOnWriteArrayList<>();
                handled.add(mine);
                Middleware seen = (e, next) -> {
                    try {
                        next.accept(e);
                    } finally {
                        allSeen.countDown();
                    }
                };
                Sourcing s = Sourcing.on(store, Parcel.DOMAIN)
                        .deliverThrough(seen, Middlewares.idempotent(kv, "handler", Duration.ofHours(1), 4)).build();
                Consumer<Recorded<ParcelEvent>> handler = r -> mine.add(r.event());
                subscriptions.add(s.subscribe(ParcelEvent.class, Position.start(), handler));
            }
            assertThat(allSeen.await(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            for (Subscription s : subscriptions) s.close();
        }
        List<Object> all = new ArrayList<>(handled.get(0));
        all.addAll(handled.get(1));
        assertThat(all).hasSize(n).doesNotHaveDuplicates();
        // the claims are spread over the four spaces of the filter
        int claims = 0;
        for (int bucket = 0; bucket < 4; bucket++) {
            int inBucket = kv.scan("idempotency/handler/" + bucket, "", 10_000).size();
            assertThat(inBucket).isPositive();
            claims += inBucket;
        }
        assertThat(claims).isEqualTo(n);
    }
}
