package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.Event;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Appending one event or a batch: what is stored, how it is numbered, which ids and times it gets. */
abstract class AppendContract extends ContractSupport {

    @Test
    void appendedEventIsReadBackByIdWithEveryField() {
        NewEvent e = event("parcel.delivered").id("p-1").version(2).source("depot-scanner:7")
                .aggregate("parcel", "69016fb5").time(t("2016-03-31T10:36:42.171234Z"))
                .meta("anyMetaKey", "someMetaValue").meta("second", "2").tag("tag1").tag("tag2")
                .payload("{\"deliveryAddress\":\"123 Sudbury Avenue\"}").ttl(Duration.ofDays(30)).build();

        Appended a = store().append(e).events().get(0);

        assertThat(a.id()).isEqualTo("p-1");
        assertThat(a.duplicate()).isFalse();
        assertThat(a.streamVersion()).isEqualTo(1);
        assertThat(a.position()).isNotNull();
        Event s = stored("p-1");
        assertThat(s.id()).isEqualTo("p-1");
        assertThat(s.type()).isEqualTo("parcel.delivered");
        assertThat(s.version()).isEqualTo(2);
        assertThat(s.source()).isEqualTo("depot-scanner:7");
        assertThat(s.aggregate()).isEqualTo(AggregateId.of("parcel", "69016fb5"));
        assertThat(s.time()).isEqualTo(t("2016-03-31T10:36:42.171234Z"));
        assertThat(s.processedAt()).isEqualTo(START);
        assertThat(s.metadata()).containsExactlyEntriesOf(Map.of("anyMetaKey", "someMetaValue", "second", "2"));
        assertThat(s.tags()).containsExactly("tag1", "tag2");
        assertThat(s.payload().json()).isEqualTo("{\"deliveryAddress\":\"123 Sudbury Avenue\"}");
        assertThat(s.ttl()).isEqualTo(Duration.ofDays(30));
        assertThat(s.position()).isEqualTo(a.position());
        assertThat(s.streamVersion()).isEqualTo(1);
    }

    @Test
    void minimalEventGetsDefaults() {
        Appended a = store().append(event("ping").build()).events().get(0);

        Event s = stored(a.id());
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.source()).isNull();
        assertThat(s.aggregate()).isNull();
        assertThat(s.metadata()).isEmpty();
        assertThat(s.tags()).isEmpty();
        assertThat(s.payload()).isEqualTo(RawJson.NULL);
        assertThat(s.ttl()).isNull();
        assertThat(s.streamVersion()).isZero();
        assertThat(a.streamVersion()).isZero();
    }

    @Test
    void tagsKeepTheirOrder() {
        store().append(event("t").id("e").tag("zulu").tag("alpha").tag("mike").build());
        assertThat(stored("e").tags()).containsExactly("zulu", "alpha", "mike");
    }

    @Test
    void eventsOfOneAggregateAreNumberedOneToNInAppendOrder() {
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // event times run backwards: numbering follows appends, not event time
            Instant time = t("2020-01-01T00:00:00Z").minusSeconds(i * 60L);
            versions.add(store().append(event("step").id("s" + i).aggregate("job", "j1").time(time).build())
                    .events().get(0).streamVersion());
        }
        assertThat(versions).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(store().streamVersion(AggregateId.of("job", "j1"))).isEqualTo(5);
        for (int i = 0; i < 5; i++) assertThat(stored("s" + i).streamVersion()).isEqualTo(i + 1);
    }

    @Test
    void batchResultsFollowRequestOrder() {
        AppendResult r = store().append(
                event("x").id("a1").aggregate("acc", "a").build(),
                event("x").id("b1").aggregate("acc", "b").build(),
                event("x").id("free").build(),
                event("x").id("a2").aggregate("acc", "a").build());

        assertThat(r.events()).extracting(Appended::id).containsExactly("a1", "b1", "free", "a2");
        assertThat(r.events()).extracting(Appended::streamVersion).containsExactly(1L, 1L, 0L, 2L);
        assertThat(r.events()).extracting(Appended::duplicate).containsOnly(false);
        assertThat(new HashSet<>(r.events().stream().map(Appended::position).toList())).hasSize(4);
        assertThat(ids(logAll())).containsExactly("a1", "b1", "free", "a2");
        assertThat(logAll()).extracting(Event::position)
                .containsExactlyElementsOf(r.events().stream().map(Appended::position).toList());
        assertThat(r.allDuplicates()).isFalse();
    }

    @Test
    void streamsContinueNumberingAcrossAppends() {
        store().append(event("x").aggregate("acc", "a").build(), event("x").aggregate("acc", "a").build());
        AppendResult r = store().append(event("x").aggregate("acc", "a").build(), event("x").aggregate("acc", "a").build(),
                event("x").aggregate("acc", "a").build());
        assertThat(r.events()).extracting(Appended::streamVersion).containsExactly(3L, 4L, 5L);
        assertThat(store().streamVersion(AggregateId.of("acc", "a"))).isEqualTo(5);
    }

    @Test
    void unknownIdsAndAggregatesReadAsAbsent() {
        store().append(event("x").id("known").aggregate("acc", "a").build());
        assertThat(store().get("unknown")).isEmpty();
        assertThat(store().get("know")).isEmpty();
        assertThat(store().streamVersion(AggregateId.of("acc", "b"))).isZero();
        var page = store().readAggregate(AggregateQuery.of(AggregateId.of("acc", "b")));
        assertThat(page.events()).isEmpty();
        assertThat(page.streamVersion()).isZero();
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void serverAssignsUuidV7IdsFromTheClock() {
        long before = System.currentTimeMillis();
        AppendResult r = store().append(event("x").build(), event("x").build(), event("x").build());
        long after = System.currentTimeMillis();
        List<String> ids = r.events().stream().map(Appended::id).toList();
        assertThat(new HashSet<>(ids)).hasSize(3);
        for (String id : ids) {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.toString()).isEqualTo(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
            // the store's clock (the capture time), or the real clock of an engine whose ids name its log time (Cassandra)
            long millis = uuid.getMostSignificantBits() >>> 16;
            if (millis != START.toEpochMilli()) assertThat(millis).as("UUIDv7 milliseconds").isBetween(before, after);
            assertThat(stored(id).id()).isEqualTo(id);
        }
    }

    @Test
    void serverAssignedIdsKeepAppendOrderAmongEventsOfTheSameTime() {
        // the clock stands still: every event gets the same time, so ids alone decide the order
        List<String> appended = new ArrayList<>();
        AppendResult batch = store().append(List.of(event("x").aggregate("acc", "a").build(),
                event("x").aggregate("acc", "a").build(), event("x").aggregate("acc", "a").build()));
        batch.events().forEach(a -> appended.add(a.id()));
        for (int i = 0; i < 5; i++) appended.add(store().append(event("x").aggregate("acc", "a").build()).events().get(0).id());

        assertThat(ids(historyAll(AggregateQuery.of(AggregateId.of("acc", "a"))))).containsExactlyElementsOf(appended);
    }

    @Test
    void missingTimeIsTheCaptureTimeToTheMicrosecond() {
        clock().set(t("2026-05-05T05:05:05.123456789Z"));
        Appended a = store().append(event("x").build()).events().get(0);
        Event s = stored(a.id());
        assertThat(s.processedAt()).isEqualTo(t("2026-05-05T05:05:05.123456Z"));
        assertThat(s.time()).isEqualTo(s.processedAt());
    }

    @Test
    void clientTimeIsKeptToTheMicrosecondAndProcessedAtIsTheClock() {
        clock().set(t("2030-01-01T00:00:00Z"));
        store().append(event("x").id("e").time(t("1999-12-31T23:59:59.999999999Z")).build());
        Event s = stored("e");
        assertThat(s.time()).isEqualTo(t("1999-12-31T23:59:59.999999Z"));
        assertThat(s.processedAt()).isEqualTo(t("2030-01-01T00:00:00Z"));
    }

    @Test
    void processedAtFollowsTheClock() {
        store().append(event("x").id("first").build());
        clock().advance(Duration.ofHours(1));
        store().append(event("x").id("second").build());
        assertThat(stored("first").processedAt()).isEqualTo(START);
        assertThat(stored("second").processedAt()).isEqualTo(START.plus(Duration.ofHours(1)));
    }

    @Test
    void asyncAppendCompletesWithTheSameKindOfResult() {
        AppendResult r = store().appendAsync(AppendRequest.of(event("x").id("async").aggregate("acc", "a").build()))
                .toCompletableFuture().join();
        assertThat(r.events()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("async");
            assertThat(a.streamVersion()).isEqualTo(1);
        });
        assertThat(stored("async").position()).isEqualTo(r.events().get(0).position());
    }

    @Test
    void boundaryLengthsAreAccepted() {
        String id = "i".repeat(128);
        String type = "t".repeat(256);
        String name = "a".repeat(256);
        store().append(event(type).id(id).aggregate(name, name).tag(name).source(name).build());
        Event s = stored(id);
        assertThat(s.type()).isEqualTo(type);
        assertThat(s.aggregate()).isEqualTo(AggregateId.of(name, name));
        assertThat(s.tags()).containsExactly(name);
    }

    @Test
    void invalidEventsAreRefusedAndNothingIsWritten() {
        List<NewEvent.Builder> invalid = List.of(
                event(null), event(""), event("t".repeat(257)),
                event("x").id(""), event("x").id("i".repeat(129)),
                event("x").version(0), event("x").source("s".repeat(257)),
                event("x").tag(""), event("x").tag("t".repeat(257)),
                event("x").ttl(Duration.ZERO), event("x").ttl(Duration.ofSeconds(-1)),
                event("x").time(t("0000-12-31T23:59:59Z")), event("x").time(t("+10000-01-01T00:00:00Z")),
                event("x").meta("tags", "not the tag list"));
        for (NewEvent.Builder b : invalid) {
            NewEvent bad = b.build();
            assertThatThrownBy(() -> store().append(bad)).as("%s", bad).isInstanceOf(InvalidEventException.class);
            assertThatThrownBy(() -> store().append(event("ok").id("fine").build(), bad)).as("batch with %s", bad)
                    .isInstanceOf(InvalidEventException.class);
        }
        assertThatThrownBy(() -> store().append(List.of())).isInstanceOf(InvalidEventException.class);
        assertThat(store().get("fine")).isEmpty();
        assertStoreIsEmpty();
    }

    @Test
    void theLargestBatchIsStoredWhole() {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < AppendRequest.MAX_EVENTS; i++) {
            events.add(event("bulk").aggregate("bulk", "b").tag("bulk").time(START.minusSeconds(i % 97)).payload("{\"i\":" + i + "}").build());
        }
        AppendResult r = store().append(events);
        assertThat(r.events()).hasSize(AppendRequest.MAX_EVENTS);
        assertThat(r.events().get(AppendRequest.MAX_EVENTS - 1).streamVersion()).isEqualTo(AppendRequest.MAX_EVENTS);
        assertThat(store().streamVersion(AggregateId.of("bulk", "b"))).isEqualTo(AppendRequest.MAX_EVENTS);
        assertThat(store().readAggregate(AggregateQuery.of(AggregateId.of("bulk", "b")).limit(AggregateQuery.MAX_LIMIT)).events())
                .hasSize(AppendRequest.MAX_EVENTS);
        assertThat(logAll(10_000)).hasSize(AppendRequest.MAX_EVENTS);
        assertThat(queryAll(io.annals.core.api.Query.ofTag("bulk").limit(1000))).hasSize(AppendRequest.MAX_EVENTS);
    }

    @Test
    void positionsAreDistinctAndNotTheStartOfTheLog() {
        List<Position> positions = new ArrayList<>();
        for (int i = 0; i < 20; i++) positions.add(store().append(event("x").build()).events().get(0).position());
        assertThat(new HashSet<>(positions)).hasSize(20);
        assertThat(positions).noneMatch(Position::isStart);
    }
}
