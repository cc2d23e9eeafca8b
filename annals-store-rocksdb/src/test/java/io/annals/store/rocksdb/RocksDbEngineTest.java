package io.annals.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.TimeRange;
import io.annals.core.api.WrongExpectedVersionException;
import io.annals.core.spi.EngineSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of the RocksDB engine that the shared contract suite does not reach: restarts, options, backups. */
class RocksDbEngineTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AggregateId PARCEL = AggregateId.of("parcel", "p1");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private EventStore store;

    @BeforeEach
    void open() {
        store = open(Map.of("index.bucket", "PT1S"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private EventStore open(Map<String, String> options) {
        return EventStores.open("rocksdb", new EngineSettings(dir, options, clock));
    }

    private static NewEvent.Builder event(String id, String type) {
        return NewEvent.ofType(type).id(id).payload("{\"n\":1}");
    }

    @Test
    void appendsAndReadsBackAnEvent() {
        AppendResult r = store.append(event("e1", "parcel.received").aggregate(PARCEL).tag("london")
                .time(T0.plusMillis(5)).build());
        Appended a = r.events().get(0);
        assertThat(a.position()).isEqualTo(Position.of("1"));
        assertThat(a.streamVersion()).isEqualTo(1);
        Event e = store.get("e1").orElseThrow();
        assertThat(e.type()).isEqualTo("parcel.received");
        assertThat(e.tags()).containsExactly("london");
        assertThat(e.payload().json()).isEqualTo("{\"n\":1}");
        assertThat(e.streamVersion()).isEqualTo(1);
        assertThat(store.streamVersion(PARCEL)).isEqualTo(1);
    }

    @Test
    void positionsAndStreamVersionsContinueAfterRestart() {
        store.append(event("e1", "t").aggregate(PARCEL).build(), event("e2", "t").aggregate(PARCEL).build());
        store.close();
        store = open(Map.of("index.bucket", "PT1S"));
        Appended a = store.append(event("e3", "t").aggregate(PARCEL).build()).events().get(0);
        assertThat(a.position()).isEqualTo(Position.of("3"));
        assertThat(a.streamVersion()).isEqualTo(3);
        assertThat(store.readAggregate(AggregateQuery.of(PARCEL)).events()).extracting(Event::id)
                .containsExactly("e1", "e2", "e3");
        assertThat(store.stats().approximateEvents()).isEqualTo(3);
    }

    @Test
    void positionsNeverGoBackAfterTheNewestEventsAreSwept() {
        store.append(event("e1", "t").build());
        store.append(event("e2", "t").ttl(Duration.ofSeconds(1)).build());
        clock.advance(Duration.ofSeconds(2));
        assertThat(engine().sweepExpired()).isEqualTo(1);
        store.close();
        store = open(Map.of("index.bucket", "PT1S"));
        assertThat(store.append(event("e3", "t").build()).events().get(0).position()).isEqualTo(Position.of("3"));
    }

    @Test
    void concurrentRequestsInOneGroupAreCheckedAgainstEachOther() {
        RocksDbEngine engine = engine();
        // queued without waiting, so the writer takes most of them as one group
        var first = store.appendAsync(AppendRequest.of(event("same", "t").aggregate(PARCEL).build()));
        var repeat = store.appendAsync(AppendRequest.of(event("same", "t").aggregate(PARCEL).build()));
        var conflict = store.appendAsync(AppendRequest.of(event("same", "other").build()));
        var stale = store.appendAsync(AppendRequest.of(event("x", "t").aggregate(PARCEL).build())
                .expecting(ExpectedVersion.noStream()));
        var next = store.appendAsync(AppendRequest.of(event("y", "t").aggregate(PARCEL).build())
                .expecting(ExpectedVersion.exactly(1)));
        Appended a = first.toCompletableFuture().join().events().get(0);
        Appended b = repeat.toCompletableFuture().join().events().get(0);
        assertThat(a.duplicate()).isFalse();
        assertThat(b.duplicate()).isTrue();
        assertThat(b.position()).isEqualTo(a.position());
        assertThat(b.streamVersion()).isEqualTo(1);
        assertThatThrownBy(() -> conflict.toCompletableFuture().join())
                .hasCauseInstanceOf(DuplicateIdConflictException.class);
        assertThatThrownBy(() -> stale.toCompletableFuture().join())
                .hasCauseInstanceOf(WrongExpectedVersionException.class);
        assertThat(next.toCompletableFuture().join().events().get(0).streamVersion()).isEqualTo(2);
        assertThat(engine.streamVersion(PARCEL)).isEqualTo(2);
        assertThat(store.get("x")).isEmpty();
    }

    @Test
    void aRetryOfAStoredAppendAnswersDuplicatesThoughItsExpectedVersionIsStale() {
        AppendRequest request = AppendRequest.of(event("v1", "t").aggregate(PARCEL).build(),
                event("v2", "t").aggregate(PARCEL).build()).expecting(ExpectedVersion.noStream());
        store.append(request);
        AppendResult retry = store.append(request);
        assertThat(retry.allDuplicates()).isTrue();
        assertThat(retry.events()).extracting(Appended::streamVersion).containsExactly(1L, 2L);
        AppendRequest partly = AppendRequest.of(event("v2", "t").aggregate(PARCEL).build(),
                event("v3", "t").aggregate(PARCEL).build()).expecting(ExpectedVersion.exactly(1));
        assertThatThrownBy(() -> store.append(partly)).isInstanceOf(WrongExpectedVersionException.class);
    }

    @Test
    void aBatchWithOneConflictWritesNothing() {
        store.append(event("a", "t").build());
        assertThatThrownBy(() -> store.append(event("b", "t").aggregate(PARCEL).build(), event("a", "changed").build()))
                .isInstanceOf(DuplicateIdConflictException.class);
        assertThat(store.get("b")).isEmpty();
        assertThat(store.streamVersion(PARCEL)).isZero();
        assertThat(store.append(event("c", "t").build()).events().get(0).position()).isEqualTo(Position.of("2"));
    }

    @Test
    void tagsThatArePrefixesOfEachOtherDoNotMix() {
        store.append(event("1", "t").tag("a").build(), event("2", "t").tag("ab").build(),
                event("3", "t").tag("a\u0000b").build(), event("4", "ta").tag("a").build());
        assertThat(ids(store.query(Query.ofTag("a")))).containsExactly("1", "4");
        assertThat(ids(store.query(Query.ofTag("ab")))).containsExactly("2");
        assertThat(ids(store.query(Query.ofTag("a\u0000b")))).containsExactly("3");
        assertThat(ids(store.query(Query.ofType("t")))).containsExactly("1", "2", "3");
        assertThat(ids(store.query(Query.ofType("t").tag("a")))).containsExactly("1");
        assertThat(ids(store.query(Query.ofType("ta").tag("ab")))).isEmpty();
    }

    @Test
    void pagesCrossBucketsInBothOrdersWhileAppendsContinue() {
        for (int i = 0; i < 30; i++)
            store.append(event("e" + i, "t").time(T0.plusMillis(350L * i)).build()); // ~3 events per 1 s bucket
        List<String> asc = readAll(Query.ofType("t").limit(4), () -> store.append(event("late" + System.nanoTime(), "t")
                .time(T0.plusMillis(1)).build()));
        assertThat(asc).hasSize(30).doesNotHaveDuplicates().startsWith("e0").endsWith("e29");
        List<String> desc = readAll(Query.ofType("t").limit(7).descending(), () -> store.append(event("new" + System.nanoTime(),
                "t").time(T0.plusSeconds(60)).build()));
        List<String> reversed = new java.util.ArrayList<>(asc);
        java.util.Collections.reverse(reversed);
        assertThat(desc.stream().filter(id -> id.startsWith("e")).toList()).containsExactlyElementsOf(reversed);
        assertThat(desc).filteredOn(id -> id.startsWith("new")).isEmpty();
    }

    @Test
    void timeRangeIsStartInclusiveEndExclusive() {
        for (int i = 0; i < 10; i++) store.append(event("e" + i, "t").tag("x").time(T0.plusSeconds(i)).build());
        TimeRange r = TimeRange.from(T0.plusSeconds(2)).until(T0.plusSeconds(5));
        assertThat(ids(store.query(Query.ofTag("x").range(r)))).containsExactly("e2", "e3", "e4");
        assertThat(ids(store.query(Query.all().range(r).descending()))).containsExactly("e4", "e3", "e2");
        assertThat(ids(store.query(Query.all().range(r).startOffset(1).limit(1)))).containsExactly("e3");
    }

    @Test
    void expiredEventsVanishAndTheirIdCanBeUsedAgain() {
        store.append(event("gone", "t").aggregate(PARCEL).tag("x").ttl(Duration.ofMinutes(1)).build());
        store.append(event("kept", "t").aggregate(PARCEL).tag("x").build());
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.get("gone")).isEmpty();
        assertThat(ids(store.query(Query.ofTag("x")))).containsExactly("kept");
        assertThat(store.readAggregate(AggregateQuery.of(PARCEL)).events()).extracting(Event::id).containsExactly("kept");
        assertThat(store.readLog(Position.start(), 10).events()).extracting(Event::id).containsExactly("kept");

        Appended again = store.append(event("gone", "u").build()).events().get(0);
        assertThat(again.duplicate()).isFalse();
        assertThat(store.get("gone").orElseThrow().type()).isEqualTo("u");
        assertThat(ids(store.query(Query.all()))).containsExactlyInAnyOrder("kept", "gone");
        assertThat(engine().sweepExpired()).isZero();
        assertThat(store.get("gone")).isPresent();
    }

    @Test
    void theSweepDeletesExpiredEventsAndEveryRowOfTheirs() {
        for (int i = 0; i < 1500; i++)
            store.append(event("e" + i, "t").tag("x").aggregate(PARCEL).ttl(Duration.ofSeconds(1 + i % 2)).build());
        store.append(event("kept", "t").tag("x").build());
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine().sweepExpired()).isEqualTo(750);
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine().sweepExpired()).isEqualTo(750);
        assertThat(store.stats().approximateEvents()).isEqualTo(1);
        assertThat(store.streamVersion(PARCEL)).isEqualTo(1500);
        // nothing is left behind, even unfiltered: every column family that listed them is empty of them
        clock.advance(Duration.ofDays(-1));
        assertThat(ids(store.query(Query.all().limit(1000)))).containsExactly("kept");
        assertThat(store.readAggregate(AggregateQuery.of(PARCEL)).events()).isEmpty();
        assertThat(store.readLog(Position.start(), 10).events()).extracting(Event::id).containsExactly("kept");
    }

    @Test
    void theBackgroundSweepRunsOnItsOwn() throws InterruptedException {
        store.close();
        store = open(Map.of("index.bucket", "PT1S", "ttl.sweep-interval", "PT0.05S"));
        store.append(event("a", "t").ttl(Duration.ofSeconds(1)).build(), event("b", "t").build());
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 600 && store.stats().approximateEvents() > 1; i++) Thread.sleep(50);
        assertThat(store.stats().approximateEvents()).isEqualTo(1);
        assertThat(engine().sweepExpired()).isZero();
    }

    @Test
    void readLogReturnsEventsStrictlyAfterAPosition() {
        store.append(event("a", "t").build(), event("b", "t").build(), event("c", "t").build());
        LogPage page = store.readLog(Position.of("1"), 1);
        assertThat(page.events()).extracting(Event::id).containsExactly("b");
        assertThat(page.next()).isEqualTo(Position.of("2"));
        assertThat(store.readLog(Position.of("3"), 5).next()).isEqualTo(Position.of("3"));
        assertThatThrownBy(() -> store.readLog(Position.of("nope"), 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBackupOpensAsAStoreWithEverythingInIt(@TempDir Path backups) {
        store.append(event("a", "t").aggregate(PARCEL).tag("x").build());
        Path target = backups.resolve("b1");
        engine().backupTo(target);
        store.append(event("b", "t").build());
        try (EventStore restored = EventStores.open("rocksdb", new EngineSettings(target, Map.of("index.bucket", "PT1S"), clock))) {
            assertThat(ids(restored.query(Query.all()))).containsExactly("a");
            assertThat(restored.streamVersion(PARCEL)).isEqualTo(1);
            assertThat(restored.append(event("c", "t").build()).events().get(0).position()).isEqualTo(Position.of("2"));
        }
        assertThatThrownBy(() -> engine().backupTo(target)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statsCountEventsAndBytes() {
        store.append(event("a", "t").build(), event("b", "t").build());
        assertThat(store.stats().approximateEvents()).isEqualTo(2);
        assertThat(store.stats().sizeBytes()).isPositive();
    }

    @Test
    void aClosedStoreIsUnavailable() {
        store.close();
        assertThatThrownBy(() -> store.get("a")).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.append(event("a", "t").build())).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.query(Query.all())).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void optionsAreChecked() {
        store.close();
        assertThatThrownBy(() -> open(Map.of("index.bucket", "PT2H"))).hasMessageContaining("created with index.bucket");
        assertThatThrownBy(() -> open(Map.of("sync", "sometimes"))).hasMessageContaining("always");
        assertThatThrownBy(() -> open(Map.of("synk", "none"))).hasMessageContaining("unknown rocksdb option");
        store = open(Map.of("index.bucket", "PT1S", "sync", "none", "block-cache.size", "8MiB"));
        assertThat(store.append(event("a", "t").build()).events()).hasSize(1);
    }

    // ---- helpers

    private RocksDbEngine engine() {
        return (RocksDbEngine) ((io.annals.core.internal.DefaultEventStore) store).engine();
    }

    private static List<String> ids(EventPage page) {
        return page.events().stream().map(Event::id).toList();
    }

    private List<String> readAll(Query first, Runnable betweenPages) {
        List<String> out = new java.util.ArrayList<>();
        EventPage page = store.query(first);
        out.addAll(ids(page));
        while (page.hasMore()) {
            betweenPages.run();
            page = store.query(first.after(page.next()));
            out.addAll(ids(page));
        }
        return out;
    }
}
