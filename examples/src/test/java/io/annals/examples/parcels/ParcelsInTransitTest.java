package io.annals.examples.parcels;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.examples.Await;
import io.annals.examples.Engines;
import io.annals.examples.OnEveryEngine;
import io.annals.examples.parcels.ParcelEvent.Delivered;
import io.annals.examples.parcels.ParcelEvent.LoadedOntoTruck;
import io.annals.examples.parcels.ParcelEvent.ReceivedAtDepot;
import io.annals.sourcing.api.Catalogue;
import io.annals.sourcing.api.Events;
import io.annals.sourcing.api.IdPage;
import io.annals.sourcing.api.Sourcing;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

class ParcelsInTransitTest {
    private static final Instant T = Instant.parse("2026-03-04T08:00:00Z");
    private static final Engines ENGINES = new Engines("parcels_in_transit");
    private Catalogue catalogue;

    @AfterEach
    void stop() {
        if (catalogue != null) catalogue.close();
    }

    @AfterAll
    static void close() throws IOException {
        ENGINES.close();
    }

    @OnEveryEngine
    void theCatalogueListsTheParcelsReceivedAndNotDeliveredWhateverTheArrivalOrder(String engine) {
        EventStore store = ENGINES.store(engine);
        Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN).build();
        Catalogue inTransit = catalogue = ParcelViews.inTransit(sourcing);
        // guide:parcels-in-transit-query
        Events events = sourcing.events();
        events.dispatchTo("p-10", new ReceivedAtDepot("Lewisham"), at(T));
        events.dispatchTo("p-11", new ReceivedAtDepot("Lewisham"), at(T));
        events.dispatchTo("p-11", new Delivered("K. Smith"), at(T.plusSeconds(3600)));
        events.dispatchTo("p-12", new Delivered("J. Doe"), at(T.plusSeconds(3600))); // the handset's scan comes first
        events.dispatchTo("p-12", new ReceivedAtDepot("Deptford"), at(T));
        events.dispatchTo("p-13", new ReceivedAtDepot("Deptford"), at(T).id("scan-13"));
        events.dispatchTo("p-13", new ReceivedAtDepot("Deptford"), at(T).id("scan-13")); // a repeat
        events.dispatchTo("p-13", new LoadedOntoTruck("truck-7"), at(T.plusSeconds(60)));
        Await.until(() -> inTransit.isLive("p-13"), "the catalogue to apply the last receipt");

        assertThat(inTransit.isLive("p-10")).isTrue();
        assertThat(inTransit.isLive("p-11")).isFalse(); // delivered
        assertThat(inTransit.isLive("p-12")).isFalse(); // delivered, though its receipt came later
        assertThat(inTransit.isLive("p-13")).isTrue();
        // end
        assertThat(all(inTransit, "p-")).containsExactlyInAnyOrder("p-10", "p-13");
        for (String id : List.of("p-10", "p-11", "p-12", "p-13", "p-14")) {
            Parcel parcel = sourcing.state(Parcel.FOLD, id);
            boolean inTransitByState = parcel.status() != Parcel.Status.UNKNOWN
                    && parcel.status() != Parcel.Status.DELIVERED;
            assertThat(inTransit.isLive(id)).as(id + " is " + parcel.status()).isEqualTo(inTransitByState);
        }
    }

    @OnEveryEngine
    void pagesListEveryParcelInTransitOnceAndARebuildListsTheSame(String engine) {
        EventStore store = ENGINES.store(engine);
        Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN).build();
        catalogue = ParcelViews.inTransit(sourcing);
        Events.Batch batch = sourcing.events().batch();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add("q-" + i, new ReceivedAtDepot("Lewisham"), at(T.plusSeconds(i)));
            if (i % 3 == 0) batch.add("q-" + i, new Delivered("K. Smith"), at(T.plusSeconds(3600 + i)));
            else expected.add("q-" + i);
        }
        batch.dispatch();
        Await.until(() -> catalogue.isLive("q-29"), "the catalogue to apply the batch");
        assertThat(all(catalogue, "q-")).containsExactlyInAnyOrderElementsOf(expected);

        catalogue.view().rebuild();
        Await.until(() -> catalogue.isLive("q-29"), "the rebuilt catalogue to apply the batch");
        assertThat(all(catalogue, "q-")).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Every id listed that starts with {@code prefix} (the tests of this class share a store), each as often as listed. */
    private static List<String> all(Catalogue catalogue, String prefix) {
        List<String> ids = new ArrayList<>();
        IdPage page = catalogue.list(null, 7);
        ids.addAll(page.ids());
        while (page.hasNext()) {
            page = catalogue.list(page.next(), 7);
            ids.addAll(page.ids());
        }
        return ids.stream().filter(id -> id.startsWith(prefix)).toList();
    }
}
