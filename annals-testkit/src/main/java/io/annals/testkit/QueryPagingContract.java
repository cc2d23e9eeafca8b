package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Event;
import io.annals.core.api.EventOrdering;
import io.annals.core.api.EventPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Order;
import io.annals.core.api.Query;
import io.annals.core.api.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Continuation pages across time buckets (whatever size an engine chooses: hours, days, years), at the edges of
 * representable time, and while appends continue between pages.
 */
abstract class QueryPagingContract extends ContractSupport {

    /** Times at edges a bucketed key encoding can get wrong: the epoch, negative times, 32-bit seconds, years 1 and 9999. */
    static final List<Instant> EDGE_TIMES = List.of(
            t("0001-01-01T00:00:00Z"), t("0001-01-01T00:00:00.000001Z"), t("1000-06-15T12:00:00Z"),
            t("1969-12-31T23:59:59.999999Z"), t("1970-01-01T00:00:00Z"), t("1970-01-01T00:00:00.000001Z"),
            t("1970-01-01T00:59:59.999999Z"), t("1970-01-01T01:00:00Z"), t("1999-12-31T23:59:59.999999Z"),
            t("2000-01-01T00:00:00Z"), t("2024-02-29T23:59:59.999999Z"), t("2024-03-01T00:00:00Z"),
            t("2038-01-19T03:14:07Z"), t("2038-01-19T03:14:08Z"), t("2106-02-07T06:28:16Z"),
            t("2262-04-11T23:47:16.854775Z"), t("2262-04-11T23:47:16.854776Z"), t("9999-12-31T23:59:59Z"),
            t("9999-12-31T23:59:59.999999Z"));

    private List<Event> appendSpread(String type, String tag, int count, Instant base, Duration step) {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // scrambled so that capture order is unrelated to time; every third pair shares a time
            int k = (int) ((i * 37L) % count);
            Instant time = base.plus(step.multipliedBy(k - (k % 3 == 2 ? 1 : 0)));
            events.add(event(type).tag(tag).aggregate("spread", type).time(time).build());
        }
        for (int i = 0; i < count; i += 50) store().append(events.subList(i, Math.min(count, i + 50)));
        return queryAll(Query.ofType(type).limit(Query.MAX_LIMIT));
    }

    @Test
    void pagesCrossManyHourAndDayBuckets() {
        List<Event> stored = appendSpread("hourly", "h", 300, t("2016-03-30T22:30:00Z"), Duration.ofMinutes(41));
        assertPagesEveryWay(Query.ofType("hourly"), stored);
        assertPagesEveryWay(Query.ofTag("h"), stored);
        assertPagesEveryWay(Query.all(), stored);
    }

    @Test
    void pagesCrossYearsAndCenturies() {
        List<Event> stored = appendSpread("yearly", "y", 120, t("1890-01-01T00:00:00Z"), Duration.ofDays(400));
        assertPagesEveryWay(Query.ofType("yearly"), stored);
        assertPagesEveryWay(Query.ofTag("y").type("yearly"), stored);
    }

    @Test
    void pagesReachTheEdgesOfRepresentableTime() {
        List<NewEvent> events = new ArrayList<>();
        for (Instant time : EDGE_TIMES) {
            events.add(event("edge").tag("e").aggregate("edge", "1").time(time).build());
            events.add(event("edge").tag("e").aggregate("edge", "1").time(time).build());
        }
        store().append(events);
        List<Event> stored = logAll();
        assertThat(stored).extracting(Event::time).containsAll(EDGE_TIMES);
        List<Event> ordered = inEventOrder(stored);

        assertThat(queryAll(Query.ofType("edge").limit(1000))).containsExactlyElementsOf(ordered);
        assertPagesEveryWay(Query.ofType("edge"), stored);
        assertPagesEveryWay(Query.ofTag("e"), stored);
        assertPagesEveryWay(Query.all(), stored);
        for (int limit : new int[] {1, 3, 1000}) {
            assertThat(historyAll(AggregateQuery.of(AggregateId.of("edge", "1")).limit(limit))).containsExactlyElementsOf(ordered);
            assertThat(historyAll(AggregateQuery.of(AggregateId.of("edge", "1")).descending().limit(limit)))
                    .containsExactlyElementsOf(reversed(ordered));
        }
        Instant epoch = Instant.EPOCH;
        assertThat(queryAll(Query.ofType("edge").until(epoch))).extracting(Event::time).allMatch(x -> x.isBefore(epoch)).hasSize(8);
        assertThat(queryAll(Query.ofType("edge").from(epoch).until(t("1970-01-01T01:00:00Z")).descending().limit(1)))
                .extracting(Event::time).containsExactly(t("1970-01-01T00:59:59.999999Z"), t("1970-01-01T00:59:59.999999Z"),
                        t("1970-01-01T00:00:00.000001Z"), t("1970-01-01T00:00:00.000001Z"), epoch, epoch);
    }

    @Test
    void sparseEventsFarApartAreFoundFromOpenRanges() {
        store().append(event("sparse").id("old").time(t("0001-01-01T00:00:00Z")).build(),
                event("sparse").id("new").time(t("9999-12-31T23:59:59.999999Z")).build());
        assertThat(ids(queryAll(Query.ofType("sparse").limit(1)))).containsExactly("old", "new");
        assertThat(ids(queryAll(Query.ofType("sparse").descending().limit(1)))).containsExactly("new", "old");
        assertThat(ids(queryAll(Query.ofType("sparse").from(t("2000-01-01T00:00:00Z"))))).containsExactly("new");
        assertThat(ids(queryAll(Query.ofType("sparse").until(t("2000-01-01T00:00:00Z")).descending()))).containsExactly("old");
        assertThat(store().query(Query.ofType("sparse").from(t("1000-01-01T00:00:00Z")).until(t("9000-01-01T00:00:00Z")))
                .events()).isEmpty();
        store().append(event("sparse-tagged").id("t-old").tag("far").time(t("0001-01-01T00:00:00.000001Z")).build(),
                event("sparse-tagged").id("t-new").tag("far").time(t("9999-12-31T23:59:59.999998Z")).build());
        assertThat(ids(queryAll(Query.ofTag("far").limit(1)))).containsExactly("t-old", "t-new");
        assertThat(ids(queryAll(Query.ofTag("far").type("sparse-tagged").descending().limit(1)))).containsExactly("t-new", "t-old");
        assertThat(ids(queryAll(Query.all().limit(1)))).containsExactly("old", "t-old", "t-new", "new");
        assertThat(ids(queryAll(Query.all().descending().limit(3)))).containsExactly("new", "t-new", "t-old", "old");
    }

    @Test
    void filteredQueriesSkipLongRunsOfNonMatches() {
        List<NewEvent> noise = new ArrayList<>();
        Instant base = t("2016-03-30T00:00:00Z");
        for (int i = 0; i < 3000; i++) {
            noise.add(event(i % 2 == 0 ? "common" : "other").tag("noise").tag(i % 3 == 0 ? "x" : "z")
                    .time(base.plusSeconds(37L * i)).build());
        }
        store().append(noise);
        store().append(event("common").id("rare-1").tag("rare").time(base.minusSeconds(1)).build(),
                event("common").id("rare-2").tag("rare").time(base.plusSeconds(37L * 1500 + 1)).build(),
                event("common").id("rare-3").tag("rare").time(base.plusSeconds(37L * 3000)).build(),
                event("other").id("rare-other").tag("rare").time(base.plusSeconds(37L * 2000 + 1)).build());

        assertThat(ids(queryAll(Query.ofType("common").tag("rare").limit(1)))).containsExactly("rare-1", "rare-2", "rare-3");
        assertThat(ids(queryAll(Query.ofType("common").tag("rare").descending().limit(1)))).containsExactly("rare-3", "rare-2", "rare-1");
        assertThat(ids(queryAll(Query.ofTag("rare").limit(2)))).containsExactly("rare-1", "rare-2", "rare-other", "rare-3");
        EventPage last = store().query(Query.ofType("common").tag("rare").limit(3));
        assertThat(last.events()).hasSize(3);
        assertThat(last.hasMore()).as("nothing further existed").isFalse();
        EventPage none = store().query(Query.ofType("other").tag("x").from(base.plusSeconds(37L * 3000)));
        assertThat(none.events()).isEmpty();
        assertThat(none.hasMore()).isFalse();
    }

    @Test
    void rangesCutAtAnyMicrosecondAroundBucketBoundaries() {
        List<Instant> times = new ArrayList<>();
        for (String boundary : List.of("2016-03-31T10:01:00Z", "2016-03-31T11:00:00Z", "2016-04-01T00:00:00Z")) {
            Instant b = t(boundary);
            times.addAll(List.of(b.minusNanos(1000), b, b.plusNanos(1000)));
        }
        int n = 0;
        for (Instant time : times) store().append(event("cut").id("c" + n++).tag("cut").time(time).build());
        List<Event> ordered = inEventOrder(logAll());
        for (Instant start : times) {
            for (Instant end : times) {
                if (end.isBefore(start)) continue;
                TimeRange range = TimeRange.from(start).until(end);
                List<Event> want = ordered.stream().filter(e -> range.contains(e.time())).toList();
                assertThat(queryAll(Query.ofType("cut").range(range).limit(2))).as("[%s, %s)", start, end).containsExactlyElementsOf(want);
                assertThat(queryAll(Query.ofTag("cut").range(range).descending().limit(2))).as("desc [%s, %s)", start, end)
                        .containsExactlyElementsOf(reversed(want));
            }
        }
    }

    @Test
    void noEventStoredBeforeTheFirstPageIsSkippedOrRepeatedWhileAppendsContinue() {
        for (Order order : Order.values()) {
            String type = "busy-" + order.text();
            List<Event> before = appendSpread(type, "busy", 120, t("2016-03-30T00:00:00Z"), Duration.ofMinutes(53));
            Query q = Query.ofType(type).order(order).limit(7);
            List<Event> seen = new ArrayList<>();
            EventPage page = store().query(q);
            int round = 0;
            while (true) {
                seen.addAll(page.events());
                if (!page.hasMore()) break;
                appendAroundCursor(type, page.events().get(page.events().size() - 1), order.text() + round++);
                page = store().query(q.after(page.next()));
            }
            assertInReadOrder(seen, order);
            assertThat(new HashSet<>(ids(seen))).as("no event repeated").hasSize(seen.size());
            assertThat(ids(seen)).as("every event stored before the first page").containsAll(ids(before));
        }
    }

    /** Appends events just behind, at, and ahead of the last event a page returned, and far from it. */
    private void appendAroundCursor(String type, Event last, String round) {
        Instant t0 = last.time();
        store().append(
                event(type).id("late-behind-" + round).time(t0.minusMillis(1)).build(),
                event(type).id("!same-time-low-" + round).time(t0).build(),
                event(type).id("\uFFFF-same-time-high-" + round).time(t0).build(),
                event(type).id("ahead-" + round).time(t0.plusSeconds(1)).build(),
                event(type).id("far-past-" + round).time(t("1970-01-01T00:00:00Z")).build(),
                event(type).id("far-future-" + round).time(t("9999-01-01T00:00:00Z").plusSeconds(round.hashCode() & 0xffff)).build());
    }

    @Test
    void pagingWhileAnotherThreadKeepsAppendingNeverSkipsOrRepeats() throws Exception {
        List<Event> before = appendSpread("live", "l", 100, t("2016-03-30T00:00:00Z"), Duration.ofMinutes(47));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get() && i < 2_000; i++) {
                Instant time = t("2016-03-30T00:00:00Z").plus(Duration.ofMinutes((i * 31L) % (100 * 47)));
                store().append(event("live").id("concurrent-" + i).tag("l").time(time).build());
            }
        }, "contract-writer");
        writer.start();
        try {
            for (Order order : Order.values()) {
                List<Event> seen = queryAll(Query.ofTag("l").order(order).limit(9));
                assertInReadOrder(seen, order);
                assertThat(new HashSet<>(ids(seen))).as("no event repeated").hasSize(seen.size());
                assertThat(ids(seen)).containsAll(ids(before));
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void aCursorOutsideTheRangeStillRespectsTheRange() {
        List<Event> stored = appendSpread("bounded", "b", 20, t("2016-03-30T00:00:00Z"), Duration.ofHours(1));
        List<Event> ordered = inEventOrder(stored);
        TimeRange range = TimeRange.from(ordered.get(5).time()).until(ordered.get(15).time());
        List<Event> inRange = ordered.stream().filter(e -> range.contains(e.time())).toList();
        io.annals.core.api.Cursor beforeRange = io.annals.core.api.Cursor.after(ordered.get(0));
        io.annals.core.api.Cursor afterRange = io.annals.core.api.Cursor.after(ordered.get(19));
        assertThat(queryAll(Query.ofType("bounded").range(range).after(beforeRange).limit(4))).containsExactlyElementsOf(inRange);
        assertThat(store().query(Query.ofType("bounded").range(range).after(afterRange)).events()).isEmpty();
        assertThat(queryAll(Query.ofType("bounded").range(range).descending().after(afterRange).limit(4)))
                .containsExactlyElementsOf(reversed(inRange));
        assertThat(store().query(Query.ofType("bounded").range(range).descending().after(beforeRange)).events()).isEmpty();
    }

    @Test
    void continuationOfAPageWhoseLastEventExpiredOrWasNeverThereStillWorks() {
        List<Event> stored = appendSpread("cursor", "c", 30, t("2016-03-30T00:00:00Z"), Duration.ofHours(5));
        // a cursor is only (time, id): a cursor between stored events continues right after it
        Event tenth = stored.get(9);
        io.annals.core.api.Cursor between = new io.annals.core.api.Cursor(tenth.time(), tenth.id() + "\u0000");
        assertThat(queryAll(Query.ofType("cursor").after(between).limit(4))).containsExactlyElementsOf(stored.subList(10, 30));
        assertThat(queryAll(Query.ofType("cursor").after(between).descending().limit(4)))
                .containsExactlyElementsOf(reversed(stored.subList(0, 10)));
    }

    private void assertPagesEveryWay(Query base, List<Event> stored) {
        List<Event> ordered = inEventOrder(stored);
        for (int limit : new int[] {1, 2, 7, 50, 1000}) {
            assertThat(queryAll(base.limit(limit))).as("%s asc limit %d", base, limit).containsExactlyElementsOf(ordered);
            assertThat(queryAll(base.descending().limit(limit))).as("%s desc limit %d", base, limit)
                    .containsExactlyElementsOf(reversed(ordered));
        }
        Instant from = ordered.get(ordered.size() / 4).time();
        Instant until = ordered.get(ordered.size() * 3 / 4).time();
        TimeRange range = TimeRange.from(from).until(until);
        List<Event> inRange = ordered.stream().filter(e -> range.contains(e.time())).toList();
        assertThat(queryAll(base.range(range).limit(3))).containsExactlyElementsOf(inRange);
        assertThat(queryAll(base.range(range).descending().limit(3))).containsExactlyElementsOf(reversed(inRange));
    }

    private static void assertInReadOrder(List<Event> events, Order order) {
        for (int i = 1; i < events.size(); i++) {
            int c = EventOrdering.compare(events.get(i - 1), events.get(i));
            assertThat(order == Order.ASC ? c < 0 : c > 0).as("%s before %s", events.get(i - 1).id(), events.get(i).id()).isTrue();
        }
    }

    static Set<String> idSet(List<Event> events) {
        return new HashSet<>(ids(events));
    }
}
