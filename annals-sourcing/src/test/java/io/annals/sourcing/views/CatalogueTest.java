package io.annals.sourcing.views;

import static io.annals.sourcing.api.At.at;
import static io.annals.sourcing.views.TestStores.awaitCaughtUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.sourcing.api.Catalogue;
import io.annals.sourcing.api.Events;
import io.annals.sourcing.api.IdPage;
import io.annals.sourcing.api.Sourcing;
import io.annals.sourcing.views.LampEvent.FuseEvent;
import io.annals.sourcing.views.LampEvent.FuseEvent.Tripped;
import io.annals.sourcing.views.LampEvent.Installed;
import io.annals.sourcing.views.LampEvent.Removed;
import io.annals.sourcing.views.LampEvent.Toggled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CatalogueTest extends LampStoreTest {
    static final Instant T = Instant.parse("2026-03-01T18:00:00Z");
    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#engines")
    void listsTheLampsBetweenInstalledAndRemovedWhateverTheArrivalOrder(String engine) {
        Sourcing sourcing = open(engine);
        // guide:catalogue
        Catalogue lamps = Catalogue.of(sourcing, "installed-lamps", LampEvent.class).start();
        Events events = sourcing.events();
        events.dispatchTo("hall", new Installed(60, "hall"), at(T));
        events.dispatchTo("desk", new Installed(40, "study"), at(T));
        events.dispatchTo("desk", new Removed(), at(T.plusSeconds(60)));
        events.dispatchTo("porch", new Removed(), at(T.plusSeconds(60))); // arrives before its installation
        events.dispatchTo("porch", new Installed(40, "porch"), at(T));
        // end
        started(lamps);
        events.dispatchTo("hall", new Installed(60, "hall"), at(T).id("again"));
        events.dispatchTo("hall", new Installed(60, "hall"), at(T).id("again")); // a repeat, stored once
        events.dispatchTo("shed", new Toggled(), at(T)); // no installation seen: not live
        awaitCaughtUp(store, lamps.view());
        // guide:catalogue-query
        assertThat(lamps.list().ids()).containsExactly("hall");
        assertThat(lamps.isLive("porch")).isFalse();
        // end
        assertThat(lamps.isLive("hall")).isTrue();
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#localEngines")
    void pagesThroughEveryLiveAggregateAndCountsAnyEventForATypeWithoutInitialEvents(String engine) {
        Sourcing sourcing = open(engine);
        for (int i = 0; i < 40; i++) {
            sourcing.events().dispatchTo("l" + i, new Installed(60, "r"), at(T));
            sourcing.events().dispatchTo("f" + i, new Tripped(), at(T));
            if (i % 4 == 0) sourcing.events().dispatchTo("l" + i, new Removed(), at(T.plusSeconds(1)));
        }
        Catalogue lamps = Catalogue.of(sourcing, "lamps", LampEvent.class).buckets(3).batchSize(4).start();
        Catalogue fuses = Catalogue.of(sourcing, "fuses", FuseEvent.class).start();
        started(lamps);
        started(fuses);
        awaitCaughtUp(store, lamps.view());
        awaitCaughtUp(store, fuses.view());

        List<String> live = new ArrayList<>();
        IdPage page = lamps.list(null, 6);
        live.addAll(page.ids());
        while (page.hasNext()) {
            page = lamps.list(page.next(), 6);
            live.addAll(page.ids());
        }
        assertThat(live).hasSize(30).doesNotHaveDuplicates().noneMatch(id -> Integer.parseInt(id.substring(1)) % 4 == 0);
        assertThat(fuses.list(null, 1000).ids()).hasSize(40);
    }
}
