package io.annals.sourcing.views;

import static io.annals.sourcing.api.At.at;
import static io.annals.sourcing.views.TestStores.awaitCaughtUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.sourcing.api.AttributeIndex;
import io.annals.sourcing.api.Events;
import io.annals.sourcing.api.IdPage;
import io.annals.sourcing.api.Sourcing;
import io.annals.sourcing.views.LampEvent.Installed;
import io.annals.sourcing.views.LampEvent.Rewired;
import io.annals.sourcing.views.LampEvent.Toggled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AttributeIndexTest extends LampStoreTest {
    static final Instant T = Instant.parse("2026-03-01T18:00:00Z");
    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#engines")
    void findsLampsByTheirLatestWattageByEventTimeSoALateOlderEventChangesNothing(String engine) {
        Sourcing sourcing = open(engine);
        // guide:attribute-index
        AttributeIndex byWatts = AttributeIndex.of(sourcing, "lamps-by-watts", LampEvent.class)
                .value(Installed.class, Installed::watts)
                .value(Rewired.class, Rewired::watts)
                .start();
        Events events = sourcing.events();
        events.dispatchTo("hall", new Installed(60, "hall"), at(T));
        events.dispatchTo("desk", new Installed(40, "study"), at(T));
        events.dispatchTo("hall", new Rewired(100), at(T.plusSeconds(20)));
        events.dispatchTo("hall", new Rewired(40), at(T.plusSeconds(10))); // late: older than the 100 W

        // once the index has caught up:
        // end
        started(byWatts);
        awaitCaughtUp(store, byWatts.view());
        // guide:attribute-index-query
        assertThat(byWatts.find(100).ids()).containsExactly("hall");
        assertThat(byWatts.find(40).ids()).containsExactly("desk");
        assertThat(byWatts.valueOf("hall")).contains("100");
        // end
        assertThat(byWatts.find(60).ids()).isEmpty();
        assertThat(byWatts.valueOf("nowhere")).isEmpty();

        events.dispatchTo("desk", new Toggled(), at(T.plusSeconds(30))); // no wattage: no change
        events.dispatchTo("desk", new Rewired(100), at(T.plusSeconds(30)));
        awaitCaughtUp(store, byWatts.view());
        assertThat(byWatts.find(100).ids()).containsExactlyInAnyOrder("hall", "desk");
        assertThat(byWatts.find(40).ids()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#engines")
    void pagesThroughEveryBucketWithoutRepeatsAndARebuildGivesTheSameIndex(String engine) {
        Sourcing sourcing = open(engine);
        for (int i = 0; i < 60; i++)
            sourcing.events().dispatchTo("l" + i, new Installed(i % 2 == 0 ? 60 : 40, "r"), at(T));
        AttributeIndex index = started(AttributeIndex.of(sourcing, "lamps-by-watts", LampEvent.class)
                .value(Installed.class, Installed::watts).buckets(4).batchSize(9).start());
        awaitCaughtUp(store, index.view());
        List<String> sixty = all(index, 60, 7);
        assertThat(sixty).hasSize(30).doesNotHaveDuplicates().allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 0);

        index.view().rebuild();
        awaitCaughtUp(store, index.view());
        assertThat(all(index, 60, 7)).isEqualTo(sixty);
        assertThat(all(index, 40, 1000)).hasSize(30);
        assertThat(index.view().status().generation()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#localEngines")
    void aLongValueIsIndexedByItsHash(String engine) {
        Sourcing sourcing = open(engine);
        String room = "a room with a very long name ".repeat(10);
        sourcing.events().dispatchTo("l1", new Installed(60, room), at(T));
        AttributeIndex index = started(AttributeIndex.of(sourcing, "lamps-by-room", LampEvent.class)
                .value(Installed.class, Installed::room).start());
        awaitCaughtUp(store, index.view());
        assertThat(index.find(room).ids()).containsExactly("l1");
        assertThat(index.valueOf("l1")).isEqualTo(Optional.of(room));
    }

    @ParameterizedTest
    @MethodSource("io.annals.sourcing.views.TestStores#localEngines")
    void misuseFailsAtOnce(String engine) {
        Sourcing sourcing = open(engine);
        assertThatThrownBy(() -> AttributeIndex.of(sourcing, "i", LampEvent.class).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call value(");
        assertThatThrownBy(() -> AttributeIndex.of(sourcing, "i", LampEvent.class)
                .value(Installed.class, Installed::watts).value(Installed.class, Installed::room))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has");
        AttributeIndex index = started(AttributeIndex.of(sourcing, "i", LampEvent.class).value(Installed.class, Installed::watts).start());
        assertThatThrownBy(() -> index.find(60, "nonsense", 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a continuation");
    }

    static List<String> all(AttributeIndex index, Object value, int pageSize) {
        List<String> ids = new ArrayList<>();
        IdPage page = index.find(value, null, pageSize);
        ids.addAll(page.ids());
        while (page.hasNext()) {
            page = index.find(value, page.next(), pageSize);
            ids.addAll(page.ids());
        }
        return ids;
    }
}
