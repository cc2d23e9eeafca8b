package io.annals.examples.parcels;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.EventStore;
import io.annals.examples.Engines;
import io.annals.examples.OnEveryEngine;
import io.annals.examples.TestClock;
import io.annals.examples.parcels.ParcelEvent.LoadedOntoTruck;
import io.annals.examples.parcels.ParcelEvent.ReceivedAtDepot;
import io.annals.sourcing.api.Recorded;
import io.annals.sourcing.api.Sourcing;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

class ParcelCommandsTest {
    private static final Instant T = Instant.parse("2026-03-05T08:00:00Z");
    private static final Engines ENGINES = new Engines("parcel_commands");
    private final TestClock clock = new TestClock(T.plusSeconds(600));
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ExecutorService callers = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() throws InterruptedException {
        for (ExecutorService p : List.of(callers, pool)) {
            p.shutdown();
            assertThat(p.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @AfterAll
    static void close() throws IOException {
        ENGINES.close();
    }

    @OnEveryEngine
    void aParcelIsLoadedAndDeliveredOnlyWhenItsStateAllows(String engine) {
        EventStore store = ENGINES.store(engine);
        Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN).build();
        ParcelCommands parcels = new ParcelCommands(sourcing, pool, clock);
        assertThatThrownBy(() -> parcels.loadOntoTruck("c-1", "truck-7")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("parcel c-1 is UNKNOWN, not at a depot");
        sourcing.events().dispatchTo("c-1", new ReceivedAtDepot("Lewisham"), at(T)); // the depot's scan
        assertThatThrownBy(() -> parcels.deliver("c-1", "K. Smith"))
                .hasMessage("parcel c-1 is AT_DEPOT, not out for delivery: load it onto a truck first");
        parcels.loadOntoTruck("c-1", "truck-7");
        assertThatThrownBy(() -> parcels.loadOntoTruck("c-1", "truck-8"))
                .hasMessageStartingWith("parcel c-1 is OUT_FOR_DELIVERY, not at a depot");
        parcels.deliver("c-1", "K. Smith");

        assertThat(sourcing.state(Parcel.FOLD, "c-1"))
                .isEqualTo(new Parcel(Parcel.Status.DELIVERED, "Lewisham", "truck-7", 0, "K. Smith"));
        assertThat(store.streamVersion(AggregateId.of("parcel", "c-1"))).isEqualTo(3);
    }

    @OnEveryEngine
    void twoLoadsOfOneParcelAtOncePutItOnOneTruck(String engine) {
        Sourcing sourcing = Sourcing.on(ENGINES.store(engine), Parcel.DOMAIN).build();
        ParcelCommands node1 = new ParcelCommands(sourcing, pool, clock);
        ParcelCommands node2 = new ParcelCommands(sourcing, pool, clock);
        sourcing.events().dispatchTo("c-2", new ReceivedAtDepot("Lewisham"), at(T));

        List<CompletableFuture<String>> loads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ParcelCommands node = i % 2 == 0 ? node1 : node2;
            String truck = "truck-" + i;
            loads.add(CompletableFuture.supplyAsync(() -> {
                try {
                    node.loadOntoTruck("c-2", truck);
                    return truck;
                } catch (IllegalStateException refused) {
                    return null;
                }
            }, callers));
        }
        List<String> loaded = loads.stream().map(CompletableFuture::join).filter(t -> t != null).toList();

        assertThat(loaded).hasSize(1);
        assertThat(sourcing.history(ParcelEvent.class, "c-2").list()).extracting(Recorded::event)
                .containsExactly(new ReceivedAtDepot("Lewisham"), new LoadedOntoTruck(loaded.get(0)));
    }
}
