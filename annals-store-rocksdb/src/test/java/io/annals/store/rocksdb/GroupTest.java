package io.annals.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.Appended;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.Event;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import io.annals.core.api.WrongExpectedVersionException;
import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.PendingEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One group commit, built by hand so that every append surely lands in the same group: later appends see the
 * earlier ones, and a refused append leaves no trace while the others commit.
 */
class GroupTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final AggregateId P = AggregateId.of("parcel", "p1");

    @TempDir
    Path dir;
    private Store store;
    private WriterState state;
    private Rows rows;

    @BeforeEach
    void open() {
        RocksDbConfig config = RocksDbConfig.from(new EngineSettings(dir, Map.of(), Clock.fixed(NOW, ZoneOffset.UTC)));
        store = new Store(dir, config);
        state = new WriterState(store, 100);
        rows = new Rows(store, config.bucketMicros());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static PendingEvent event(String id, String type, AggregateId aggregate) {
        return new PendingEvent(new Event(id, type, 1, null, aggregate, NOW, NOW, Map.of(), List.of(), RawJson.NULL,
                null, null, 0), true, true);
    }

    @Test
    void appendsOfOneGroupAreCheckedAgainstEachOtherAndARefusalStaysAlone() throws Exception {
        try (Group g = new Group(store, state, rows, NOW)) {
            Appended first = g.add(List.of(event("x", "t", P)), ExpectedVersion.noStream()).get(0);
            Appended repeat = g.add(List.of(event("x", "t", P)), ExpectedVersion.any()).get(0);
            assertThatThrownBy(() -> g.add(List.of(event("y", "t", null), event("x", "changed", P)), ExpectedVersion.any()))
                    .isInstanceOf(DuplicateIdConflictException.class);
            assertThatThrownBy(() -> g.add(List.of(event("z", "t", P)), ExpectedVersion.noStream()))
                    .isInstanceOf(WrongExpectedVersionException.class);
            Appended next = g.add(List.of(event("w", "t", P)), ExpectedVersion.exactly(1)).get(0);
            g.commit(store.syncedWrites);

            assertThat(first).isEqualTo(new Appended("x", Position.of("1"), 1, false));
            assertThat(repeat).isEqualTo(new Appended("x", Position.of("1"), 1, true));
            assertThat(next).isEqualTo(new Appended("w", Position.of("2"), 2, false));
        }
        assertThat(state.lastPosition()).isEqualTo(2);
        assertThat(state.count()).isEqualTo(2);
        assertThat(state.head(P)).isEqualTo(2);
        Reads reads = new Reads(store, rows, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(reads.get("y")).isEmpty();
        assertThat(reads.get("z")).isEmpty();
        assertThat(reads.streamVersion(P)).isEqualTo(2);
        assertThat(reads.readLog(Position.start(), 10).events()).extracting(Event::id).containsExactly("x", "w");
    }

    @Test
    void aGroupThatIsNeverCommittedChangesNothing() throws Exception {
        try (Group g = new Group(store, state, rows, NOW)) {
            g.add(List.of(event("x", "t", P)), ExpectedVersion.any());
        }
        assertThat(state.lastPosition()).isZero();
        assertThat(state.head(P)).isZero();
        try (Group g = new Group(store, state, rows, NOW)) {
            assertThat(g.add(List.of(event("x", "t", P)), ExpectedVersion.noStream()).get(0))
                    .isEqualTo(new Appended("x", Position.of("1"), 1, false));
        }
    }
}
