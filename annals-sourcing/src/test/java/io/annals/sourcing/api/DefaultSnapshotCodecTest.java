package io.annals.sourcing.api;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The default JSON codec writes a record state as its components: helpers named like accessors ({@code isEmpty()},
 * {@code getTotal()}) stay out, so the snapshot reads back equal and later loads start from it.
 */
class DefaultSnapshotCodecTest {
    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");

    @AggregateType("basket")
    sealed interface BasketEvent {
        @Initial
        record Opened(String owner) implements BasketEvent {}

        record Added(String item, long cents) implements BasketEvent {}
    }

    /** A state with helpers that a plain Jackson mapper takes for the properties "empty" and "total". */
    record Basket(String owner, List<String> items, List<Long> prices) {
        static final Basket NONE = new Basket(null, List.of(), List.of());

        public boolean isEmpty() {
            return items.isEmpty();
        }

        public long getTotal() {
            return prices.stream().mapToLong(Long::longValue).sum();
        }

        Basket add(String item, long cents) {
            List<String> i = new ArrayList<>(items);
            i.add(item);
            List<Long> p = new ArrayList<>(prices);
            p.add(cents);
            return new Basket(owner, i, p);
        }
    }

    /** Counts the events folded, so that a test sees whether a load started from a snapshot. */
    private static final AtomicInteger FOLDED = new AtomicInteger();

    private static final Fold<Basket, BasketEvent> FOLD = Fold.of(BasketEvent.class, Basket.NONE)
            .on(BasketEvent.Opened.class, (b, e) -> {
                FOLDED.incrementAndGet();
                return new Basket(e.owner(), b.items(), b.prices());
            })
            .on(BasketEvent.Added.class, (b, e) -> {
                FOLDED.incrementAndGet();
                return b.add(e.item(), e.cents());
            });

    private static final Domain DOMAIN = Domain.builder().aggregate(BasketEvent.class).build();

    @TempDir
    Path dir;
    private EventStore store;

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aRecordStateWithAccessorLikeHelpersIsSnapshottedAndReadBackEqual(String engine) {
        store = EventStores.open(engine, EngineSettings.of(engine.equals("memory") ? null : dir));
        Sourcing s = Sourcing.on(store, DOMAIN).snapshots(FOLD, Snapshots.every(3)).build();
        s.events().dispatchTo("b1", new BasketEvent.Opened("ann"), at(T).id("b1-open"));
        for (int i = 1; i <= 4; i++)
            s.events().dispatchTo("b1", new BasketEvent.Added("item " + i, 100L * i), at(T.plusSeconds(i)).id("b1-" + i));
        Basket full = Sourcing.on(store, DOMAIN).build().state(FOLD, "b1");
        assertThat(full.getTotal()).isEqualTo(1000);

        assertThat(s.state(FOLD, "b1")).isEqualTo(full); // folds all five events and writes the snapshot
        byte[] snapshot = store.keyValues().get(Snapshotter.space(AggregateId.of("basket", "b1")),
                Basket.class.getName()).orElseThrow(() -> new AssertionError("no snapshot was written"));
        String json = new String(snapshot, StandardCharsets.UTF_8);
        assertThat(json).contains("\"owner\":\"ann\"").doesNotContain("\"empty\"").doesNotContain("\"total\"");

        s.events().dispatchTo("b1", new BasketEvent.Added("item 5", 500), at(T.plusSeconds(5)).id("b1-5"));
        FOLDED.set(0);
        Basket loaded = s.state(FOLD, "b1");
        assertThat(FOLDED.get()).as("events folded on top of the snapshot").isEqualTo(1);
        assertThat(loaded).isEqualTo(Sourcing.on(store, DOMAIN).build().state(FOLD, "b1"));
        assertThat(loaded.getTotal()).isEqualTo(1500);
        assertThat(loaded.isEmpty()).isFalse();
    }
}
