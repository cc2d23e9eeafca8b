package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Event;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An event with a TTL vanishes from every read once {@code processedAt + ttl} has passed on the store's clock. */
abstract class TtlContract extends ContractSupport {
    private static final AggregateId AGG = AggregateId.of("session", "s1");

    private void appendMixed() {
        store().append(
                event("ttl").id("short").aggregate(AGG).tag("t").time(t("2016-01-01T00:00:01Z")).ttl(Duration.ofMinutes(10)).build(),
                event("ttl").id("forever").aggregate(AGG).tag("t").time(t("2016-01-01T00:00:02Z")).build(),
                event("ttl").id("long").aggregate(AGG).tag("t").time(t("2016-01-01T00:00:03Z")).ttl(Duration.ofDays(30)).build());
    }

    private List<String> visible() {
        List<String> seen = new ArrayList<>();
        for (String id : List.of("short", "forever", "long")) if (store().get(id).isPresent()) seen.add(id);
        assertThat(ids(queryAll(Query.ofType("ttl").limit(1)))).as("by type").isEqualTo(seen);
        assertThat(ids(queryAll(Query.ofTag("t").limit(1)))).as("by tag").isEqualTo(seen);
        assertThat(ids(queryAll(Query.all().limit(1)))).as("all").isEqualTo(seen);
        assertThat(ids(queryAll(Query.ofType("ttl").descending().limit(1)))).as("desc").isEqualTo(reversed(seen));
        assertThat(ids(historyAll(AggregateQuery.of(AGG).limit(1)))).as("history").isEqualTo(seen);
        assertThat(ids(historyAll(AggregateQuery.of(AGG).descending().limit(1)))).as("history desc").isEqualTo(reversed(seen));
        assertThat(ids(logAll(1))).as("log").isEqualTo(seen);
        return seen;
    }

    @Test
    void eventsAreReadableUntilTheirTtlPasses() {
        appendMixed();
        assertThat(visible()).containsExactly("short", "forever", "long");
        clock().set(START.plus(Duration.ofMinutes(10)).minusNanos(1000));
        assertThat(visible()).containsExactly("short", "forever", "long");
        clock().set(START.plus(Duration.ofMinutes(10)));
        assertThat(visible()).containsExactly("forever", "long");
        clock().advance(Duration.ofDays(30));
        assertThat(visible()).containsExactly("forever");
    }

    @Test
    void ttlCountsFromCaptureNotFromEventTime() {
        // an event that happened long ago but was captured now stays for its whole TTL
        store().append(event("ttl").id("old-but-new").time(t("1990-01-01T00:00:00Z")).ttl(Duration.ofHours(1)).build());
        clock().advance(Duration.ofMinutes(59));
        assertThat(store().get("old-but-new")).isPresent();
        clock().advance(Duration.ofMinutes(1));
        assertThat(store().get("old-but-new")).isEmpty();
    }

    @Test
    void streamVersionsDoNotGoBackWhenEventsExpire() {
        appendMixed();
        clock().advance(Duration.ofDays(31));
        assertThat(store().streamVersion(AGG)).isEqualTo(3);
        assertThat(store().readAggregate(AggregateQuery.of(AGG)).streamVersion()).isEqualTo(3);
        assertThat(store().append(event("ttl").aggregate(AGG).build()).events().get(0).streamVersion()).isEqualTo(4);
    }

    @Test
    void pagesSkipExpiredEventsWithoutGapsOrRepeats() {
        List<NewEvent> events = new ArrayList<>();
        Instant base = t("2016-01-01T00:00:00Z");
        List<String> survivors = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            NewEvent.Builder b = event("mix").id(String.format("m%02d", i)).aggregate(AGG).tag("t").time(base.plusSeconds(3600L * i));
            if (i % 3 != 1) b.ttl(Duration.ofHours(1));
            else survivors.add(String.format("m%02d", i));
            events.add(b.build());
        }
        store().append(events);
        clock().advance(Duration.ofHours(2));

        for (int limit : new int[] {1, 2, 5}) {
            assertThat(ids(queryAll(Query.ofType("mix").limit(limit)))).containsExactlyElementsOf(survivors);
            assertThat(ids(queryAll(Query.ofTag("t").descending().limit(limit)))).containsExactlyElementsOf(reversed(survivors));
            assertThat(ids(historyAll(AggregateQuery.of(AGG).limit(limit)))).containsExactlyElementsOf(survivors);
            assertThat(ids(logAll(limit))).containsExactlyElementsOf(survivors);
        }
        assertThat(store().query(Query.ofType("mix").startOffset(2).limit(1)).events()).extracting(Event::id)
                .containsExactly(survivors.get(2));
    }

    @Test
    void theIdOfAnExpiredEventMayBeUsedAgain() {
        // same event time both times: the new event must not be mistaken for the expired one in any index
        Instant time = t("2016-01-01T00:00:00Z");
        var first = store().append(event("ttl").id("reused").aggregate(AGG).tag("t").time(time).ttl(Duration.ofMinutes(1))
                .payload("1").build()).events().get(0);
        clock().advance(Duration.ofMinutes(1));

        var again = store().append(event("other").id("reused").aggregate(AGG).time(time).payload("2").build()).events().get(0);

        assertThat(again.duplicate()).as("an expired event is gone, so this is no repeat").isFalse();
        assertThat(again.position()).isNotEqualTo(first.position());
        assertThat(again.streamVersion()).isEqualTo(2);
        assertThat(stored("reused").payload().json()).isEqualTo("2");
        assertThat(stored("reused").ttl()).isNull();
        assertThat(ids(logAll())).containsExactly("reused");
        assertThat(logAll()).extracting(Event::position).containsExactly(again.position());
        assertThat(store().query(Query.ofTag("t")).events()).isEmpty();
        assertThat(ids(queryAll(Query.ofType("other")))).containsExactly("reused");
        assertThat(ids(historyAll(AggregateQuery.of(AGG)))).containsExactly("reused");
        var repeat = store().append(event("other").id("reused").aggregate(AGG).time(time).payload("2").build()).events().get(0);
        assertThat(repeat.duplicate()).isTrue();
        assertThat(repeat.position()).isEqualTo(again.position());
    }

    @Test
    void anEventExpiringBetweenPagesIsNotReturnedLater() {
        store().append(event("x").id("a").time(t("2016-01-01T00:00:00Z")).build(),
                event("x").id("b").time(t("2016-01-02T00:00:00Z")).ttl(Duration.ofMinutes(1)).build(),
                event("x").id("c").time(t("2016-01-03T00:00:00Z")).build());
        var first = store().query(Query.ofType("x").limit(1));
        clock().advance(Duration.ofMinutes(1));
        assertThat(ids(queryAll(Query.ofType("x").limit(1).after(first.next())))).containsExactly("c");
    }
}
