package io.annals.sourcing.api;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.core.api.TimeRange;
import io.annals.sourcing.fixtures.Engines;
import io.annals.sourcing.fixtures.Lightbulb;
import io.annals.sourcing.fixtures.LightbulbEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Histories longer than one page of the store read whole, in both orders, within ranges, and fold right. */
class HistoryPagingTest {
    private static final Instant T = Instant.parse("2026-03-01T00:00:00Z");
    private static final int N = 2_501; // created, then on/off pairs: more than two pages of 1,000
    @TempDir
    Path dir;
    private EventStore store;

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    private static Instant minute(int i) {
        return T.plus(Duration.ofMinutes(i));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aLongHistoryReadsWholeAcrossPages(String engine) {
        store = Engines.open(engine, dir);
        Sourcing sourcing = Sourcing.on(store, Lightbulb.DOMAIN).build();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < N; i++) order.add(i);
        Collections.shuffle(order, new Random(7));
        for (int from = 0; from < N; from += 500) {
            Events.Batch batch = sourcing.events().batch();
            for (int i : order.subList(from, Math.min(N, from + 500))) batch.add("b1", event(i), at(minute(i)));
            batch.dispatch();
        }

        List<Instant> times = sourcing.history(LightbulbEvent.class, "b1").list().stream().map(Recorded::time).toList();
        assertThat(times).hasSize(N).isSorted();
        List<Instant> descending = new ArrayList<>(sourcing.history(LightbulbEvent.class, "b1").descending().list()
                .stream().map(Recorded::time).toList());
        Collections.reverse(descending);
        assertThat(descending).isEqualTo(times);
        assertThat(sourcing.history(LightbulbEvent.class, "b1")
                .range(TimeRange.from(minute(900)).until(minute(2_100))).list()).hasSize(1_200);
        assertThat(sourcing.history(LightbulbEvent.class, "b1").upTo(minute(1_500)).descending().list())
                .hasSize(1_501).first().extracting(Recorded::time).isEqualTo(minute(1_500));

        // on for one minute in every two: 1,250 minutes at 60 W
        assertThat(sourcing.state(Lightbulb.FOLD, "b1").kilowattHours(minute(N + 10)))
                .isCloseTo(60 * 1_250 / 60.0 / 1000, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(sourcing.history(LightbulbEvent.class, "b1").read().version()).isEqualTo(N);
    }

    private static LightbulbEvent event(int i) {
        if (i == 0) return new LightbulbEvent.Created(60);
        return i % 2 == 1 ? new LightbulbEvent.SwitchedOn() : new LightbulbEvent.SwitchedOff();
    }
}
