package io.annals.sourcing.api;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.KeyValues;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.SharedCassandra;
import io.annals.sourcing.fixtures.Parcel;
import io.annals.sourcing.fixtures.ParcelEvent.ReceivedAtDepot;
import io.annals.testkit.MutableClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Snapshots and the shared idempotency filter on Cassandra (the node shared by the test JVM, a keyspace of this class). */
class CassandraSourcingTest {
    private static final MutableClock clock = MutableClock.at(Instant.parse("2026-06-01T00:00:00Z"));
    private static EventStore store;

    @BeforeAll
    static void open() {
        InetSocketAddress node = SharedCassandra.get().contactPoint();
        store = EventStores.open("cassandra", new EngineSettings(null, Map.of(
                "contact-points", node.getHostString() + ":" + node.getPort(),
                "local-datacenter", "datacenter1", "keyspace", "sourcing_snapshots",
                "request-timeout", "PT10S", "log.settle-delay", "PT0.2S",
                "driver.advanced.metadata.schema.debouncer.window", "10 milliseconds"), clock));
    }

    @AfterAll
    static void close() {
        if (store != null) store.close();
    }

    @Test
    void snapshotsNeverChangeState() {
        Random seeds = new Random();
        for (int i = 0; i < 5; i++) {
            long seed = seeds.nextLong();
            int every = 1 + i % 6;
            try {
                SnapshotProperties.check(store, seed, every, 50);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", every " + every + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void aSnapshotIsUsedAndExpires() {
        String id = "t-" + UUID.randomUUID();
        Sourcing s = Sourcing.on(store, Traces.DOMAIN)
                .snapshots(Traces.FOLD, Snapshots.every(5).ttl(Duration.ofMinutes(1))).build();
        for (int i = 0; i < 6; i++)
            s.events().dispatchTo(id, new Traces.TraceEvent.Stepped("" + i), at(Instant.EPOCH.plusSeconds(i)));
        Traces.Trace full = s.state(Traces.FOLD, id);
        String space = Snapshotter.space(AggregateId.of("trace", id));
        assertThat(store.keyValues().get(space, Traces.Trace.class.getName())).isPresent();
        assertThat(s.state(Traces.FOLD, id)).isEqualTo(full);
        clock.advance(Duration.ofSeconds(61));
        assertThat(store.keyValues().get(space, Traces.Trace.class.getName())).isEmpty();
        assertThat(s.state(Traces.FOLD, id)).isEqualTo(full);
    }

    @Test
    void twoNodesShareTheirClaimsUntilTheTtl() {
        KeyValues kv = store.keyValues();
        String name = "parcels-" + UUID.randomUUID();
        String scan = "scan-" + UUID.randomUUID();
        String parcel = "p-" + UUID.randomUUID();
        Sourcing a = Sourcing.on(store, Parcel.DOMAIN).appendThrough(Middlewares.idempotent(kv, name, Duration.ofMinutes(1))).build();
        Sourcing b = Sourcing.on(store, Parcel.DOMAIN).appendThrough(Middlewares.idempotent(kv, name, Duration.ofMinutes(1))).build();
        Instant t = Instant.parse("2026-03-01T08:00:00Z");
        assertThat(a.events().dispatchTo(parcel, new ReceivedAtDepot("Lewisham"), at(t).id(scan)).events()).hasSize(1);
        assertThat(b.events().dispatchTo(parcel, new ReceivedAtDepot("Deptford"), at(t).id(scan)).events()).isEmpty();
        clock.advance(Duration.ofSeconds(61));
        // the claim expired: the repeat passes the filter, and the store keeps the event once
        assertThat(b.events().dispatchTo(parcel, new ReceivedAtDepot("Lewisham"), at(t).id(scan)).events()).hasSize(1);
        assertThat(store.streamVersion(AggregateId.of("parcel", parcel))).isEqualTo(1);
    }
}
