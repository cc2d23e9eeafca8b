package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Event;
import io.annals.core.api.Order;
import io.annals.core.api.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One aggregate's history: ordered by event time then id bytes, in both directions, by time range, in pages. */
abstract class AggregateHistoryContract extends ContractSupport {
    private static final AggregateId PARCEL = AggregateId.of("parcel", "p-1");

    private static AggregateQuery history() {
        return AggregateQuery.of(PARCEL);
    }

    private void at(String id, String time) {
        store().append(event("parcel.event").id(id).aggregate(PARCEL).time(t(time)).build());
    }

    @Test
    void historyIsOrderedByEventTimeEvenWhenAppendedOutOfOrder() {
        at("c", "2016-03-31T12:00:00Z");
        at("a", "2016-03-31T10:00:00Z");
        at("d", "2016-04-01T00:00:00Z");
        at("late", "2016-03-31T11:00:00Z");   // arrives last, belongs in the middle
        at("first", "2016-03-30T00:00:00Z");

        assertThat(ids(historyAll(history()))).containsExactly("first", "a", "late", "c", "d");
        assertThat(ids(historyAll(history().descending()))).containsExactly("d", "c", "late", "a", "first");
        assertThat(stored("late").streamVersion()).as("stream versions follow appends").isEqualTo(4);
    }

    @Test
    void equalTimesAreOrderedByIdBytesUnsigned() {
        String time = "2016-03-31T10:00:00Z";
        // UTF-8 byte order differs from String.compareTo for the last two, and from UUID.compareTo for the UUIDs
        List<String> byBytes = List.of("7fffffff-0000-7000-8000-000000000000", "80000000-0000-7000-8000-000000000000",
                "B", "a", "ab", "b", "\u00e9", "\uFFFD", "\uD83D\uDE00");
        for (String id : reversed(byBytes)) at(id, time);

        assertThat(ids(historyAll(history()))).containsExactlyElementsOf(byBytes);
        assertThat(ids(historyAll(history().descending()))).containsExactlyElementsOf(reversed(byBytes));
        assertThat(ids(historyAll(history().limit(2)))).containsExactlyElementsOf(byBytes);
        assertThat(ids(historyAll(history().descending().limit(2)))).containsExactlyElementsOf(reversed(byBytes));
    }

    @Test
    void timeRangeIncludesItsStartAndExcludesItsEnd() {
        at("before", "2016-03-31T09:59:59.999999Z");
        at("start", "2016-03-31T10:00:00Z");
        at("inside", "2016-03-31T10:30:00Z");
        at("justBeforeEnd", "2016-03-31T10:59:59.999999Z");
        at("end", "2016-03-31T11:00:00Z");
        TimeRange range = TimeRange.from(t("2016-03-31T10:00:00Z")).until(t("2016-03-31T11:00:00Z"));

        assertThat(ids(historyAll(history().range(range)))).containsExactly("start", "inside", "justBeforeEnd");
        assertThat(ids(historyAll(history().range(range).descending()))).containsExactly("justBeforeEnd", "inside", "start");
        assertThat(ids(historyAll(history().range(range).limit(1)))).containsExactly("start", "inside", "justBeforeEnd");
        assertThat(ids(historyAll(history().range(TimeRange.from(t("2016-03-31T10:59:59.999999Z"))))))
                .containsExactly("justBeforeEnd", "end");
        assertThat(ids(historyAll(history().range(TimeRange.before(t("2016-03-31T10:00:00Z"))))))
                .containsExactly("before");
        TimeRange empty = TimeRange.from(t("2016-03-31T10:00:00Z")).until(t("2016-03-31T10:00:00Z"));
        assertThat(store().readAggregate(history().range(empty)).events()).isEmpty();
    }

    @Test
    void pagesFollowTheContinuationInBothOrders() {
        List<String> expected = new ArrayList<>();
        Instant base = t("2016-01-01T00:00:00Z");
        for (int i = 0; i < 25; i++) {
            // appended in a scrambled order, spread over days
            int k = (i * 7) % 25;
            at(String.format("e%02d", k), base.plus(Duration.ofHours(k * 13L)).toString());
        }
        for (int k = 0; k < 25; k++) expected.add(String.format("e%02d", k));

        for (int limit : new int[] {1, 2, 5, 24, 25, 26, 1000}) {
            assertThat(ids(historyAll(history().limit(limit)))).as("limit %d", limit).containsExactlyElementsOf(expected);
            assertThat(ids(historyAll(history().descending().limit(limit)))).as("desc limit %d", limit)
                    .containsExactlyElementsOf(reversed(expected));
        }
    }

    @Test
    void continuationIsAbsentWhenNothingFurtherExists() {
        for (int i = 0; i < 4; i++) at("e" + i, "2016-01-0" + (i + 1) + "T00:00:00Z");

        AggregatePage first = store().readAggregate(history().limit(2));
        assertThat(ids(first.events())).containsExactly("e0", "e1");
        assertThat(first.hasMore()).isTrue();
        AggregatePage second = store().readAggregate(history().limit(2).after(first.next()));
        assertThat(ids(second.events())).containsExactly("e2", "e3");
        assertThat(second.hasMore()).as("exactly the last events: no further page").isFalse();

        AggregatePage all = store().readAggregate(history().limit(4));
        assertThat(all.events()).hasSize(4);
        assertThat(all.hasMore()).isFalse();
    }

    @Test
    void pageCarriesTheCurrentStreamVersionWhateverItHolds() {
        for (int i = 0; i < 6; i++) at("e" + i, "2016-01-0" + (i + 1) + "T00:00:00Z");

        assertThat(store().readAggregate(history().limit(2)).streamVersion()).isEqualTo(6);
        assertThat(store().readAggregate(history().descending().limit(1)).streamVersion()).isEqualTo(6);
        TimeRange nothing = TimeRange.from(t("2030-01-01T00:00:00Z"));
        AggregatePage empty = store().readAggregate(history().range(nothing));
        assertThat(empty.events()).isEmpty();
        assertThat(empty.streamVersion()).isEqualTo(6);
    }

    @Test
    void historyHoldsOnlyItsOwnAggregate() {
        // names chosen to catch key encodings that concatenate type and id, or match by prefix
        List<AggregateId> neighbours = List.of(AggregateId.of("parcel", "p-10"), AggregateId.of("parcel", "p-"),
                AggregateId.of("parce", "lp-1"), AggregateId.of("parcel:p", "-1"), AggregateId.of("parcel", "p-1:x"),
                AggregateId.of("parcel\u0000", "p-1"), AggregateId.of("parcel", "p-1\u0000"), AggregateId.of("PARCEL", "p-1"),
                AggregateId.of("parcels", "p-1"), AggregateId.of("parcel/p-1", "x"));
        int n = 0;
        for (AggregateId other : neighbours) {
            store().append(event("parcel.event").id("other-" + n++).aggregate(other).time(t("2016-01-01T00:00:00Z")).build());
        }
        at("mine-1", "2016-01-02T00:00:00Z");
        at("mine-2", "2015-01-02T00:00:00Z");

        assertThat(ids(historyAll(history()))).containsExactly("mine-2", "mine-1");
        assertThat(ids(historyAll(history().descending().limit(1)))).containsExactly("mine-1", "mine-2");
        assertThat(store().streamVersion(PARCEL)).isEqualTo(2);
        for (AggregateId other : neighbours) {
            List<Event> h = historyAll(AggregateQuery.of(other));
            assertThat(h).as("history of %s", other).singleElement()
                    .satisfies(e -> assertThat(e.aggregate()).isEqualTo(other));
            assertThat(store().streamVersion(other)).as("version of %s", other).isEqualTo(1);
        }
    }

    @Test
    void continuationWorksWithATimeRangeAndDescendingOrder() {
        Instant base = t("2016-01-01T00:00:00Z");
        for (int i = 0; i < 30; i++) at("e" + (100 + i), base.plus(Duration.ofMinutes(97L * i)).toString());
        TimeRange range = TimeRange.from(base.plus(Duration.ofMinutes(97L * 5))).until(base.plus(Duration.ofMinutes(97L * 25)));
        List<String> expected = new ArrayList<>();
        for (int i = 5; i < 25; i++) expected.add("e" + (100 + i));

        assertThat(ids(historyAll(history().range(range).limit(3)))).containsExactlyElementsOf(expected);
        assertThat(ids(historyAll(history().range(range).order(Order.DESC).limit(3))))
                .containsExactlyElementsOf(reversed(expected));
    }
}
