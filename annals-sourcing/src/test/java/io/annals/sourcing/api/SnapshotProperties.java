package io.annals.sourcing.api;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.sourcing.api.Traces.Trace;
import io.annals.sourcing.api.Traces.TraceEvent;
import io.annals.sourcing.fixtures.Engines;
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
 * Whatever arrives between loads (events late by up to a minute, events at the same second, repeats, initial and
 * terminal events at any time), the state loaded with snapshots is the state folded from the whole history, now and
 * as at any instant; and so is what commands see.
 */
class SnapshotProperties {
    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
    private static EventStore memory;
    private static EventStore rocksdb;
    private static Path rocksDir;

    private record Emitted(String id, TraceEvent event, Instant time) {}

    @Property(tries = 200)
    void snapshotsNeverChangeStateOnMemory(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int every,
                                           @ForAll @IntRange(min = 1, max = 80) int steps) {
        check(memory(), seed, every, steps);
    }

    @Property(tries = 40)
    void snapshotsNeverChangeStateOnRocksDb(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int every,
                                            @ForAll @IntRange(min = 1, max = 80) int steps) {
        check(rocksdb(), seed, every, steps);
    }

    static void check(EventStore store, long seed, int every, int steps) {
        String id = UUID.randomUUID().toString();
        Sourcing snapshots = Sourcing.on(store, Traces.DOMAIN).snapshots(Traces.FOLD, Snapshots.every(every)).build();
        Sourcing plain = Sourcing.on(store, Traces.DOMAIN).build();
        Random random = new Random(seed);
        List<Emitted> emitted = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            int what = random.nextInt(100);
            if (what < 50 || emitted.isEmpty()) {
                int kind = random.nextInt(10);
                String n = "" + emitted.size();
                TraceEvent event = kind == 0 ? new TraceEvent.Opened(n)
                        : kind == 1 ? new TraceEvent.Closed(n) : new TraceEvent.Stepped(n);
                Emitted e = new Emitted(id + "-" + n, event, T.plusSeconds(random.nextInt(60)));
                emitted.add(e);
                snapshots.events().dispatchTo(id, e.event(), at(e.time()).id(e.id()));
            } else if (what < 60) {
                Emitted e = emitted.get(random.nextInt(emitted.size())); // a repeat: stored once
                snapshots.events().dispatchTo(id, e.event(), at(e.time()).id(e.id()));
            } else if (what < 90) {
                assertThat(snapshots.state(Traces.FOLD, id)).isEqualTo(plain.state(Traces.FOLD, id));
            } else {
                Instant instant = T.plusSeconds(random.nextInt(62)).minusMillis(random.nextInt(2));
                assertThat(snapshots.stateAt(Traces.FOLD, id, instant)).as("as at %s", instant)
                        .isEqualTo(plain.stateAt(Traces.FOLD, id, instant));
            }
        }
        Trace expected = plain.state(Traces.FOLD, id);
        assertThat(snapshots.state(Traces.FOLD, id)).isEqualTo(expected);
        assertThat(expected.folded()).hasSize(emitted.size());
    }

    private static synchronized EventStore memory() {
        if (memory == null) memory = Engines.open("memory", null);
        return memory;
    }

    private static synchronized EventStore rocksdb() {
        if (rocksdb == null) {
            try {
                rocksDir = Files.createTempDirectory("snapshot-properties");
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
