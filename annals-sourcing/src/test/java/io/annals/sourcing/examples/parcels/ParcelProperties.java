package io.annals.sourcing.examples.parcels;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.sourcing.api.Sourcing;
import io.annals.sourcing.examples.Engines;
import io.annals.sourcing.examples.parcels.ParcelEvent.Delivered;
import io.annals.sourcing.examples.parcels.ParcelEvent.DeliveryFailed;
import io.annals.sourcing.examples.parcels.ParcelEvent.LoadedOntoTruck;
import io.annals.sourcing.examples.parcels.ParcelEvent.ReceivedAtDepot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * A parcel's state comes out right whatever order its events arrive in, however often each is repeated, and however
 * skewed the clocks of the depot (its initial event) and of the handset that records the delivery (the terminal one).
 */
class ParcelProperties {
    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
    private static EventStore memory;
    private static EventStore rocksdb;
    private static Path rocksDir;

    private record Emitted(String id, ParcelEvent event, Instant time) {}

    @Property(tries = 200)
    void stateIsRightWhateverTheArrivalOrderAndRepeatsOnMemory(
            @ForAll @IntRange(max = 4) int failures, @ForAll boolean delivered, @ForAll long seed,
            @ForAll @IntRange(min = -600, max = 600) int depotSkew,
            @ForAll @IntRange(min = -600, max = 600) int handsetSkew) {
        check(memory(), failures, delivered, seed, depotSkew, handsetSkew);
    }

    @Property(tries = 40)
    void stateIsRightWhateverTheArrivalOrderAndRepeatsOnRocksDb(
            @ForAll @IntRange(max = 4) int failures, @ForAll boolean delivered, @ForAll long seed,
            @ForAll @IntRange(min = -600, max = 600) int depotSkew,
            @ForAll @IntRange(min = -600, max = 600) int handsetSkew) {
        check(rocksdb(), failures, delivered, seed, depotSkew, handsetSkew);
    }

    private static void check(EventStore store, int failures, boolean delivered, long seed, int depotSkew,
                              int handsetSkew) {
        String parcelId = UUID.randomUUID().toString();
        List<Emitted> lifecycle = new ArrayList<>();
        lifecycle.add(new Emitted(parcelId + "-0", new ReceivedAtDepot("Lewisham"), T.plusSeconds(depotSkew)));
        Instant t = T.plusSeconds(1000);
        for (int i = 0; i < failures; i++) {
            lifecycle.add(new Emitted(parcelId + "-l" + i, new LoadedOntoTruck("truck-" + i), t));
            lifecycle.add(new Emitted(parcelId + "-f" + i, new DeliveryFailed("attempt " + i), t.plusSeconds(60)));
            t = t.plusSeconds(120);
        }
        lifecycle.add(new Emitted(parcelId + "-l", new LoadedOntoTruck("truck-last"), t));
        if (delivered)
            lifecycle.add(new Emitted(parcelId + "-d", new Delivered("K. Smith"), t.plusSeconds(handsetSkew)));

        Random random = new Random(seed);
        List<Emitted> arrivals = new ArrayList<>();
        for (Emitted e : lifecycle) for (int n = 1 + random.nextInt(3); n > 0; n--) arrivals.add(e);
        java.util.Collections.shuffle(arrivals, random);

        Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN).build();
        for (Emitted e : arrivals) sourcing.events().dispatchTo(parcelId, e.event(), at(e.time()).id(e.id()));

        Parcel expected = delivered
                ? new Parcel(Parcel.Status.DELIVERED, "Lewisham", "truck-last", failures, "K. Smith")
                : new Parcel(Parcel.Status.OUT_FOR_DELIVERY, "Lewisham", "truck-last", failures, null);
        assertThat(sourcing.state(Parcel.FOLD, parcelId)).isEqualTo(expected);
        assertThat(sourcing.history(ParcelEvent.class, parcelId).list()).hasSize(lifecycle.size());
    }

    private static synchronized EventStore memory() {
        if (memory == null) memory = Engines.open("memory", null);
        return memory;
    }

    private static synchronized EventStore rocksdb() {
        if (rocksdb == null) {
            try {
                rocksDir = Files.createTempDirectory("parcel-properties");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            rocksdb = Engines.open("rocksdb", rocksDir);
        }
        return rocksdb;
    }

    @AfterContainer
    static void close() throws IOException {
        if (memory != null) memory.close();
        if (rocksdb != null) rocksdb.close();
        if (rocksDir != null) {
            try (Stream<Path> paths = Files.walk(rocksDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        memory = null;
        rocksdb = null;
        rocksDir = null;
    }
}
