package io.annals.examples.lightbulbs;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.examples.Await;
import io.annals.examples.Engines;
import io.annals.examples.OnEveryEngine;
import io.annals.examples.lightbulbs.LightbulbEvent.Created;
import io.annals.examples.lightbulbs.LightbulbEvent.SwitchedOn;
import io.annals.sourcing.api.AttributeIndex;
import io.annals.sourcing.api.Events;
import io.annals.sourcing.api.IdPage;
import io.annals.sourcing.api.Sourcing;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

class LightbulbsByWattageTest {
    private static final Instant T = Instant.parse("2026-03-04T18:00:00Z");
    private static final Engines ENGINES = new Engines("lightbulbs_by_wattage");
    private final List<AttributeIndex> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(AttributeIndex::close);
    }

    @AfterAll
    static void close() throws IOException {
        ENGINES.close();
    }

    private AttributeIndex byWattage(Sourcing sourcing) {
        AttributeIndex index = LightbulbViews.byWattage(sourcing);
        started.add(index);
        return index;
    }

    @OnEveryEngine
    void lightbulbsAreFoundByWattageWhateverOrderTheirEventsArriveIn(String engine) {
        EventStore store = ENGINES.store(engine);
        Sourcing sourcing = Sourcing.on(store, Lightbulb.DOMAIN).build();
        AttributeIndex byWattage = byWattage(sourcing);
        // guide:lightbulbs-by-wattage-query
        Events events = sourcing.events();
        events.dispatchTo("kitchen-1", new Created(60), at(T));
        events.dispatchTo("kitchen-2", new Created(60), at(T));
        events.dispatchTo("porch-1", new SwitchedOn(), at(T.plusSeconds(60)));
        events.dispatchTo("porch-1", new Created(40), at(T)); // arrives after the bulb was switched on
        Await.until(() -> byWattage.valueOf("porch-1").isPresent(), "the index to apply the last event");

        assertThat(byWattage.find(60).ids()).containsExactlyInAnyOrder("kitchen-1", "kitchen-2");
        assertThat(byWattage.find(40).ids()).containsExactly("porch-1");
        assertThat(byWattage.valueOf("porch-1")).contains("40");
        // end
        assertThat(byWattage.find(100).ids()).isEmpty();
        assertThat(byWattage.valueOf("nowhere")).isEmpty();
    }

    @OnEveryEngine
    void anIndexStartedAgainResumesAndPagesThroughEveryBulbOnce(String engine) {
        EventStore store = ENGINES.store(engine);
        Sourcing sourcing = Sourcing.on(store, Lightbulb.DOMAIN).build();
        AttributeIndex first = byWattage(sourcing);
        Events.Batch batch = sourcing.events().batch();
        for (int i = 0; i < 25; i++) batch.add("hall-" + i, new Created(75), at(T.plusSeconds(i)));
        batch.dispatch();
        Await.until(() -> first.valueOf("hall-24").isPresent(), "the index to apply the batch");
        first.close();

        for (int i = 25; i < 30; i++) sourcing.events().dispatchTo("hall-" + i, new Created(75), at(T.plusSeconds(i)));
        AttributeIndex again = byWattage(sourcing); // from the checkpoint: applies only the 5 new bulbs
        Await.until(() -> again.valueOf("hall-29").isPresent(), "the index to apply the new bulbs");

        List<String> found = new ArrayList<>();
        IdPage page = again.find(75, null, 7);
        found.addAll(page.ids());
        while (page.hasNext()) {
            page = again.find(75, page.next(), 7);
            found.addAll(page.ids());
        }
        assertThat(found).doesNotHaveDuplicates().hasSize(30);
        Await.until(() -> again.view().status().applied() >= 5, "the count of events applied");
        assertThat(again.view().status().applied()).as("events applied after the restart").isEqualTo(5);
    }
}
