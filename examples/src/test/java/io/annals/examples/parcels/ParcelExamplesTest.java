package io.annals.examples.parcels;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AppendResult;
import io.annals.core.api.EventStore;
import io.annals.core.api.NewEvent;
import io.annals.core.api.TimeRange;
import io.annals.examples.Engines;
import io.annals.examples.OnEveryEngine;
import io.annals.examples.parcels.ParcelEvent.Delivered;
import io.annals.examples.parcels.ParcelEvent.DeliveryFailed;
import io.annals.examples.parcels.ParcelEvent.LoadedOntoTruck;
import io.annals.examples.parcels.ParcelEvent.ReceivedAtDepot;
import io.annals.sourcing.api.Events;
import io.annals.sourcing.api.Middlewares;
import io.annals.sourcing.api.Recorded;
import io.annals.sourcing.api.Sourcing;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

class ParcelExamplesTest {
    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
    private static final Engines ENGINES = new Engines("parcels");
    private EventStore store;

    private Sourcing open(String engine) {
        store = ENGINES.store(engine);
        return Sourcing.on(store, Parcel.DOMAIN).build();
    }

    @AfterAll
    static void close() throws IOException {
        ENGINES.close();
    }

    @OnEveryEngine
    void eventsArrivingOutOfOrderFoldToTheRightState(String engine) {
        Sourcing sourcing = open(engine);
        // guide:parcel-dispatch
        Events events = sourcing.events();
        String parcelId = "p-1";
        events.dispatchTo(parcelId, new LoadedOntoTruck("truck-7"), at(T.plusSeconds(60)));
        events.dispatchTo(parcelId, new ReceivedAtDepot("Lewisham"), at(T));
        events.batch()
                .add(parcelId, new DeliveryFailed("nobody home"), at(T.plusSeconds(120)))
                .add(parcelId, new LoadedOntoTruck("truck-9"), at(T.plusSeconds(180)))
                .dispatch(); // one atomic append

        Parcel parcel = sourcing.state(Parcel.FOLD, parcelId);
        // end
        assertThat(parcel).isEqualTo(new Parcel(Parcel.Status.OUT_FOR_DELIVERY, "Lewisham", "truck-9", 1, null));
    }

    @OnEveryEngine
    void causalHintsOutweighSkewedClocks(String engine) {
        Sourcing sourcing = open(engine);
        Events events = sourcing.events();
        // the depot's clock runs late and the driver's handset early
        events.dispatchTo("p-2", new ReceivedAtDepot("Lewisham"), at(T.plusSeconds(90)));
        events.dispatchTo("p-2", new LoadedOntoTruck("truck-7"), at(T.plusSeconds(60)));
        events.dispatchTo("p-2", new Delivered("K. Smith"), at(T.plusSeconds(30)));

        assertThat(sourcing.history(ParcelEvent.class, "p-2").list()).extracting(Recorded::event)
                .containsExactly(new Delivered("K. Smith"), new LoadedOntoTruck("truck-7"),
                        new ReceivedAtDepot("Lewisham"));
        assertThat(sourcing.history(ParcelEvent.class, "p-2").causal()).extracting(Recorded::event)
                .containsExactly(new ReceivedAtDepot("Lewisham"), new LoadedOntoTruck("truck-7"),
                        new Delivered("K. Smith"));
        assertThat(sourcing.state(Parcel.FOLD, "p-2"))
                .isEqualTo(new Parcel(Parcel.Status.DELIVERED, "Lewisham", "truck-7", 0, "K. Smith"));
    }

    @OnEveryEngine
    void repeatedEventsAreStoredOnceAndTheIdempotencyFilterStopsThemBeforeTheStore(String engine) {
        Sourcing plain = open(engine);
        plain.events().dispatchTo("p-3", new ReceivedAtDepot("Lewisham"), at(T).id("scan-1"));
        AppendResult again = plain.events().dispatchTo("p-3", new ReceivedAtDepot("Lewisham"), at(T).id("scan-1"));
        assertThat(again.allDuplicates()).isTrue();

        // guide:parcel-idempotent
        Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN)
                .appendThrough(Middlewares.idempotent(Duration.ofMinutes(10), 100_000))
                .build();
        sourcing.events().dispatchTo("p-3", new LoadedOntoTruck("truck-7"), at(T.plusSeconds(60)).id("scan-2"));
        AppendResult dropped = sourcing.events()
                .dispatchTo("p-3", new LoadedOntoTruck("truck-7"), at(T.plusSeconds(60)).id("scan-2"));
        // end
        assertThat(dropped.events()).isEmpty();
        assertThat(store.streamVersion(AggregateId.of("parcel", "p-3"))).isEqualTo(2);
        assertThat(sourcing.state(Parcel.FOLD, "p-3").status()).isEqualTo(Parcel.Status.OUT_FOR_DELIVERY);
    }

    @OnEveryEngine
    void historiesReadByEventTimeInBothOrdersAndWithinARange(String engine) {
        Sourcing sourcing = open(engine);
        List<ParcelEvent> all = List.of(new ReceivedAtDepot("Lewisham"), new LoadedOntoTruck("t1"),
                new DeliveryFailed("closed"), new LoadedOntoTruck("t2"), new Delivered("J. Doe"));
        for (int i = all.size() - 1; i >= 0; i--)
            sourcing.events().dispatchTo("p-4", all.get(i), at(T.plusSeconds(10L * i)));

        assertThat(sourcing.history(ParcelEvent.class, "p-4").list()).extracting(Recorded::event)
                .containsExactlyElementsOf(all);
        assertThat(sourcing.history(ParcelEvent.class, "p-4").descending().list()).extracting(Recorded::event)
                .containsExactly(all.get(4), all.get(3), all.get(2), all.get(1), all.get(0));
        assertThat(sourcing.history(ParcelEvent.class, "p-4")
                .range(TimeRange.from(T.plusSeconds(10)).until(T.plusSeconds(30))).list())
                .extracting(Recorded::event).containsExactly(all.get(1), all.get(2));
        assertThat(sourcing.history(ParcelEvent.class, "p-4").upTo(T.plusSeconds(20)).descending().list())
                .extracting(Recorded::event).containsExactly(all.get(2), all.get(1), all.get(0));
    }

    @OnEveryEngine
    void anEventStoredInItsOldFormIsUpcast(String engine) {
        Sourcing sourcing = open(engine);
        store.append(NewEvent.ofType("parcel.delivered").version(1).aggregate("parcel", "p-5").time(T)
                .payload("{}").build());
        assertThat(sourcing.history(ParcelEvent.class, "p-5").list()).extracting(Recorded::event)
                .containsExactly(new Delivered("unknown"));
    }
}
