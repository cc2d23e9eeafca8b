package io.annals.sourcing.api;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import io.annals.sourcing.api.Traces.Trace;
import io.annals.sourcing.fixtures.Parcel;
import io.annals.sourcing.fixtures.ParcelEvent;
import io.annals.sourcing.api.Traces.TraceEvent;
import io.annals.sourcing.api.Traces.TraceEvent.Closed;
import io.annals.sourcing.api.Traces.TraceEvent.Opened;
import io.annals.sourcing.api.Traces.TraceEvent.Stepped;
import io.annals.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots: used when they cover the history, ignored and replaced when a late event, the causal hints, another fold
 * version or their TTL say so. The codec marks every state it reads back from a snapshot while {@code marking} is on,
 * so a test sees whether a state came from a snapshot.
 */
class SnapshotsTest {
    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");

    /**
     * JSON, with "from snapshot" folded into each state a load reads while marking (not into the read-back check of a
     * write, which decodes right after an encode on the same thread).
     */
    private static final class MarkingCodec implements Snapshots.Codec<Trace> {
        private final ObjectMapper json = new ObjectMapper();
        private final ThreadLocal<Boolean> checking = ThreadLocal.withInitial(() -> false);
        volatile boolean marking;

        @Override
        public byte[] encode(Trace state) {
            checking.set(true);
            try {
                return json.writeValueAsBytes(state);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Trace decode(byte[] bytes) {
            try {
                Trace t = json.readValue(bytes, Trace.class);
                boolean check = checking.get();
                checking.set(false);
                return marking && !check ? t.plus("from snapshot") : t;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TempDir
    Path dir;
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-06-01T00:00:00Z"));
    private final MarkingCodec codec = new MarkingCodec();
    private EventStore store;

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    private EventStore open(String engine) {
        store = EventStores.open(engine, new EngineSettings(engine.equals("memory") ? null : dir,
                engine.equals("memory") ? Map.of() : Map.of("sync", "none"), clock));
        return store;
    }

    private Sourcing sourcing(Snapshots policy) {
        return Sourcing.on(store, Traces.DOMAIN).snapshots(Traces.FOLD, policy, codec).build();
    }

    private Trace full(String id) {
        return Sourcing.on(store, Traces.DOMAIN).build().state(Traces.FOLD, id);
    }

    /** {@code t} as a load from a snapshot of its first {@code covered} events shows it. */
    private static Trace marked(Trace t, int covered) {
        List<String> folded = new java.util.ArrayList<>(t.folded());
        folded.add(covered, "from snapshot");
        return new Trace(folded);
    }

    private static Trace marked(Trace t) {
        return marked(t, t.folded().size());
    }

    /** A Opened, then steps 1..n one second apart. */
    private void history(Sourcing s, String id, int steps) {
        s.events().dispatchTo(id, new Opened("a"), at(T).id(id + "-open"));
        for (int i = 1; i <= steps; i++) s.events().dispatchTo(id, new Stepped("" + i), at(T.plusSeconds(i)).id(id + "-" + i));
    }

    private Trace withMarking(Sourcing s, String id) {
        codec.marking = true;
        try {
            return s.state(Traces.FOLD, id);
        } finally {
            codec.marking = false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aLoadWritesASnapshotAndTheNextFoldsOnlyTheEventsAfterIt(String engine) {
        open(engine);
        Sourcing s = sourcing(Snapshots.every(10));
        history(s, "t1", 24);
        assertThat(withMarking(s, "t1")).as("no snapshot yet").isEqualTo(full("t1"));
        assertThat(s.state(Traces.FOLD, "t1")).isEqualTo(full("t1")); // writes the snapshot (25 events)
        assertThat(withMarking(s, "t1")).isEqualTo(marked(full("t1")));

        s.events().dispatchTo("t1", new Stepped("25"), at(T.plusSeconds(25)).id("t1-25"));
        s.events().dispatchTo("t1", new Stepped("25"), at(T.plusSeconds(25)).id("t1-25")); // a repeat, stored once
        assertThat(withMarking(s, "t1")).isEqualTo(marked(full("t1"), 25));
        assertThat(full("t1").folded()).hasSize(26).endsWith("stepped 24", "stepped 25");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aLateEventBeforeTheSnapshotRebuildsFromNothingAndReplacesTheSnapshot(String engine) {
        open(engine);
        Sourcing s = sourcing(Snapshots.every(10));
        history(s, "t1", 20);
        s.state(Traces.FOLD, "t1");
        s.events().dispatchTo("t1", new Stepped("late"), at(T.plusSeconds(5).plusMillis(500)).id("t1-late"));

        Trace expected = full("t1");
        assertThat(expected.folded()).containsSubsequence("stepped 5", "stepped late", "stepped 6");
        assertThat(withMarking(s, "t1")).as("the snapshot is out of date").isEqualTo(expected);
        s.state(Traces.FOLD, "t1"); // the rebuild replaces it
        assertThat(withMarking(s, "t1")).isEqualTo(marked(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void anEventThatTheCausalHintsPutBeforeTheSnapshotRebuildsFromNothing(String engine) {
        open(engine);
        Sourcing s = sourcing(Snapshots.every(5));
        // a terminal event in the snapshot, then an ordinary one after it in time: the fold puts that one first
        history(s, "t1", 5);
        s.events().dispatchTo("t1", new Closed("c"), at(T.plusSeconds(6)).id("t1-closed"));
        s.state(Traces.FOLD, "t1");
        assertThat(withMarking(s, "t1")).isEqualTo(marked(full("t1")));
        s.events().dispatchTo("t1", new Stepped("after"), at(T.plusSeconds(60)).id("t1-after"));
        assertThat(full("t1").folded()).endsWith("stepped after", "closed c");
        assertThat(withMarking(s, "t1")).isEqualTo(full("t1"));

        // an initial event after the snapshot in time: the fold puts it first
        history(s, "t2", 0);
        for (int i = 1; i <= 6; i++) s.events().dispatchTo("t2", new Stepped("" + i), at(T.plusSeconds(i)).id("t2-" + i));
        s.state(Traces.FOLD, "t2");
        s.events().dispatchTo("t2", new Opened("again"), at(T.plusSeconds(100)).id("t2-open-again"));
        assertThat(full("t2").folded()).startsWith("opened a", "opened again");
        assertThat(withMarking(s, "t2")).isEqualTo(full("t2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void anotherFoldVersionIgnoresTheSnapshot(String engine) {
        open(engine);
        history(sourcing(Snapshots.every(10)), "t1", 15);
        sourcing(Snapshots.every(10)).state(Traces.FOLD, "t1");
        Sourcing v2 = sourcing(Snapshots.every(10).version(2));
        assertThat(withMarking(v2, "t1")).isEqualTo(full("t1"));
        v2.state(Traces.FOLD, "t1");
        assertThat(withMarking(v2, "t1")).isEqualTo(marked(full("t1")));
        assertThat(withMarking(sourcing(Snapshots.every(10)), "t1")).as("v2 replaced it").isEqualTo(full("t1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aSnapshotExpiresAfterItsTtl(String engine) {
        open(engine);
        Sourcing s = sourcing(Snapshots.every(10).ttl(Duration.ofMinutes(1)));
        history(s, "t1", 12);
        s.state(Traces.FOLD, "t1");
        clock.advance(Duration.ofSeconds(59));
        assertThat(withMarking(s, "t1")).isEqualTo(marked(full("t1")));
        clock.advance(Duration.ofSeconds(1));
        assertThat(withMarking(s, "t1")).isEqualTo(full("t1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void timeTravelUsesOnlyASnapshotThatEndsBeforeTheInstant(String engine) {
        open(engine);
        Sourcing s = sourcing(Snapshots.every(10));
        history(s, "t1", 12);
        s.state(Traces.FOLD, "t1"); // covers up to T+12s
        for (int i = 13; i <= 20; i++) s.events().dispatchTo("t1", new Stepped("" + i), at(T.plusSeconds(i)).id("t1-" + i));
        Sourcing plain = Sourcing.on(store, Traces.DOMAIN).build();

        codec.marking = true;
        assertThat(s.stateAt(Traces.FOLD, "t1", T.plusSeconds(15)))
                .isEqualTo(marked(plain.stateAt(Traces.FOLD, "t1", T.plusSeconds(15)), 13));
        assertThat(s.stateAt(Traces.FOLD, "t1", T.plusSeconds(12)))
                .isEqualTo(marked(plain.stateAt(Traces.FOLD, "t1", T.plusSeconds(12))));
        assertThat(s.stateAt(Traces.FOLD, "t1", T.plusSeconds(11)))
                .isEqualTo(plain.stateAt(Traces.FOLD, "t1", T.plusSeconds(11)));
        // a late event before the snapshot: not used for time travel either
        s.events().dispatchTo("t1", new Stepped("late"), at(T.plusSeconds(3).plusMillis(1)).id("t1-late"));
        assertThat(s.stateAt(Traces.FOLD, "t1", T.plusSeconds(15)))
                .isEqualTo(plain.stateAt(Traces.FOLD, "t1", T.plusSeconds(15)))
                .extracting(Trace::folded).asList().contains("stepped late");
        codec.marking = false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void commandsLoadFromTheSnapshotAndWriteNewOnes(String engine) throws Exception {
        open(engine);
        Sourcing s = sourcing(Snapshots.every(10));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Commands<Trace, TraceEvent> commands = s.commands(Traces.FOLD).executor(pool).clock(clock).build();
            commands.execute("t1", t -> List.of(new Opened("a")));
            for (int i = 1; i <= 10; i++) {
                clock.advance(Duration.ofSeconds(1));
                String n = "" + i;
                commands.execute("t1", t -> List.of(new Stepped(n)));
            }
            // the tenth command loaded 10 events and wrote a snapshot of them
            codec.marking = true;
            List<Trace> seen = new java.util.ArrayList<>();
            commands.execute("t1", t -> {
                seen.add(t);
                return List.of(new Stepped("last"));
            });
            codec.marking = false;
            assertThat(seen).hasSize(1);
            assertThat(full("t1").folded()).hasSize(12).endsWith("stepped 10", "stepped last");
            Trace before = new Trace(full("t1").folded().subList(0, 11));
            assertThat(seen.get(0)).isEqualTo(marked(before, 10));
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void theGuidesExample(String engine) {
        open(engine);
        Sourcing plain = Sourcing.on(store, Parcel.DOMAIN).build();
        plain.events().dispatchTo("p1", new ParcelEvent.ReceivedAtDepot("Lewisham"), at(T));
        for (int i = 1; i <= 1500; i++)
            plain.events().dispatchTo("p1", new ParcelEvent.DeliveryFailed("attempt " + i), at(T.plusSeconds(i)));
        // guide:snapshots
        Sourcing sourcing = Sourcing.on(store, Parcel.DOMAIN)
                .snapshots(Parcel.FOLD, Snapshots.every(1000).ttl(Duration.ofDays(30)).version(1))
                .build();
        Parcel parcel = sourcing.state(Parcel.FOLD, "p1"); // from the latest snapshot and the events after it
        // end
        assertThat(parcel.failedAttempts()).isEqualTo(1500);
        assertThat(store.keyValues().get(Snapshotter.space(io.annals.core.api.AggregateId.of("parcel", "p1")),
                Parcel.class.getName())).isPresent();
        assertThat(sourcing.state(Parcel.FOLD, "p1")).isEqualTo(plain.state(Parcel.FOLD, "p1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aStateThatDoesNotComeBackEqualIsNeverSnapshotted(String engine) {
        open(engine);
        Snapshots.Codec<Trace> lossy = new Snapshots.Codec<>() {
            @Override
            public byte[] encode(Trace state) {
                return codec.encode(state);
            }

            @Override
            public Trace decode(byte[] bytes) {
                return codec.decode(bytes).plus("lost in translation");
            }
        };
        Sourcing s = Sourcing.on(store, Traces.DOMAIN).snapshots(Traces.FOLD, Snapshots.every(2), lossy).build();
        history(s, "t1", 5);
        assertThat(s.state(Traces.FOLD, "t1")).isEqualTo(full("t1"));
        history(s, "t2", 5);
        assertThat(s.state(Traces.FOLD, "t2")).isEqualTo(full("t2"));
        for (String id : List.of("t1", "t2"))
            assertThat(store.keyValues().get(Snapshotter.space(io.annals.core.api.AggregateId.of("trace", id)),
                    Trace.class.getName())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void theDefaultJsonCodecRoundTripsRecordState(String engine) {
        open(engine);
        Sourcing s = Sourcing.on(store, Traces.DOMAIN).snapshots(Traces.FOLD, Snapshots.every(3)).build();
        history(s, "t1", 5);
        assertThat(s.state(Traces.FOLD, "t1")).isEqualTo(full("t1"));
        assertThat(store.keyValues().get(Snapshotter.space(io.annals.core.api.AggregateId.of("trace", "t1")),
                Trace.class.getName())).isPresent();
        s.events().dispatchTo("t1", new Stepped("6"), at(T.plusSeconds(6)).id("t1-6"));
        assertThat(s.state(Traces.FOLD, "t1")).isEqualTo(full("t1"));
    }
}
