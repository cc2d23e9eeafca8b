package io.annals.examples.parcels;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.examples.Engines;
import io.annals.examples.parcels.ParcelEvent.Delivered;
import io.annals.examples.parcels.ParcelEvent.DeliveryFailed;
import io.annals.examples.parcels.ParcelEvent.LoadedOntoTruck;
import io.annals.examples.parcels.ParcelEvent.ReceivedAtDepot;
import io.annals.sourcing.api.Sourcing;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * A parcel's state comes out right whatever order its events arrive in, however often each is repeated, and however
 * skewed the clocks of the depot (its initial event) and of the handset that records the delivery (the terminal one).
 * Everything a try does comes from what jqwik generates (no randomness of its own), so the seed jqwik prints with a
 * failure replays it: {@code @Property(seed = "...")}.
 */
class ParcelProperties {
    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
    private static final Engines ENGINES = new Engines("parcel_properties");
    /** Tries share a store per engine, so each try takes a parcel of its own (numbered in try order: replayable). */
    private static final AtomicInteger PARCELS = new AtomicInteger();

    /** An event as its source recorded it, with the id that makes its repeats one event. */
    record Emitted(String id, ParcelEvent event, Instant time) {}

    /** A parcel's life ({@code failures} failed deliveries, then loaded and perhaps delivered) and how it arrived. */
    record Scenario(int failures, boolean delivered, List<Emitted> lifecycle, List<Emitted> arrivals) {
        Parcel expected() {
            return delivered
                    ? new Parcel(Parcel.Status.DELIVERED, "Lewisham", "truck-last", failures, "K. Smith")
                    : new Parcel(Parcel.Status.OUT_FOR_DELIVERY, "Lewisham", "truck-last", failures, null);
        }
    }

    @Property(tries = 200)
    void stateIsRightWhateverTheArrivalOrderAndRepeatsOnMemory(@ForAll("scenarios") Scenario scenario) {
        check("memory", scenario);
    }

    @Property(tries = 40)
    void stateIsRightWhateverTheArrivalOrderAndRepeatsOnRocksDb(@ForAll("scenarios") Scenario scenario) {
        check("rocksdb", scenario);
    }

    @Property(tries = 3) // every event id is claimed by a lightweight transaction (Paxos): about a second a try
    void stateIsRightWhateverTheArrivalOrderAndRepeatsOnCassandra(@ForAll("scenarios") Scenario scenario) {
        check("cassandra", scenario);
    }

    private static void check(String engine, Scenario scenario) {
        String parcelId = "parcel-" + PARCELS.incrementAndGet();
        Sourcing sourcing = Sourcing.on(ENGINES.store(engine), Parcel.DOMAIN).build();
        for (Emitted e : scenario.arrivals())
            sourcing.events().dispatchTo(parcelId, e.event(), at(e.time()).id(parcelId + "-" + e.id()));

        assertThat(sourcing.state(Parcel.FOLD, parcelId)).isEqualTo(scenario.expected());
        assertThat(sourcing.history(ParcelEvent.class, parcelId).list()).hasSize(scenario.lifecycle().size());
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> skew = Arbitraries.integers().between(-600, 600);
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.of(true, false), skew, skew)
                .as(ParcelProperties::lifecycle)
                .flatMap(lifecycle -> Arbitraries.integers().between(1, 3).list().ofSize(lifecycle.size())
                        .flatMap(repeats -> Arbitraries.shuffle(repeated(lifecycle, repeats)))
                        .map(arrivals -> new Scenario(failures(lifecycle), delivered(lifecycle), lifecycle, arrivals)));
    }

    /** Received (by the depot's clock), then {@code failures} times loaded and failed, loaded, perhaps delivered. */
    private static List<Emitted> lifecycle(int failures, boolean delivered, int depotSkew, int handsetSkew) {
        List<Emitted> lifecycle = new ArrayList<>();
        lifecycle.add(new Emitted("received", new ReceivedAtDepot("Lewisham"), T.plusSeconds(depotSkew)));
        Instant t = T.plusSeconds(1000);
        for (int i = 0; i < failures; i++) {
            lifecycle.add(new Emitted("loaded-" + i, new LoadedOntoTruck("truck-" + i), t));
            lifecycle.add(new Emitted("failed-" + i, new DeliveryFailed("attempt " + i), t.plusSeconds(60)));
            t = t.plusSeconds(120);
        }
        lifecycle.add(new Emitted("loaded", new LoadedOntoTruck("truck-last"), t));
        if (delivered)
            lifecycle.add(new Emitted("delivered", new Delivered("K. Smith"), t.plusSeconds(handsetSkew)));
        return lifecycle;
    }

    private static List<Emitted> repeated(List<Emitted> lifecycle, List<Integer> repeats) {
        List<Emitted> out = new ArrayList<>();
        for (int i = 0; i < lifecycle.size(); i++) for (int n = 0; n < repeats.get(i); n++) out.add(lifecycle.get(i));
        return out;
    }

    private static int failures(List<Emitted> lifecycle) {
        return (int) lifecycle.stream().filter(e -> e.event() instanceof DeliveryFailed).count();
    }

    private static boolean delivered(List<Emitted> lifecycle) {
        return lifecycle.stream().anyMatch(e -> e.event() instanceof Delivered);
    }

    @AfterContainer
    static void close() throws IOException {
        ENGINES.close();
    }
}
