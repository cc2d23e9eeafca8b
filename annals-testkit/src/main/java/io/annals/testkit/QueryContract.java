package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.Cursor;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Query;
import io.annals.core.api.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Queries by type, tag, both or neither, over a time range, in both orders, with offsets and limits. */
abstract class QueryContract extends ContractSupport {
    private final List<Event> all = new ArrayList<>();

    /**
     * Stores 40 events: types order/orders/ord, tags a/ab/b (none, one or several), some without aggregate,
     * times over several days with ties, appended in an order unrelated to their time.
     */
    private void seed() {
        String[] types = {"order", "orders", "ord"};
        String[][] tagSets = {{}, {"a"}, {"ab"}, {"a", "b"}, {"b", "a", "ab"}};
        Instant base = t("2016-03-31T00:00:00Z");
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            NewEvent.Builder b = event(types[i % 3]).id(String.format("q%02d", (i * 17) % 40))
                    .time(base.plus(Duration.ofMinutes(((i * 23L) % 11) * 331)))
                    .tags(List.of(tagSets[i % 5]));
            if (i % 4 != 0) b.aggregate("agg", "a" + (i % 6));
            events.add(b.build());
        }
        for (int i = 0; i < events.size(); i += 7) store().append(events.subList(i, Math.min(i + 7, events.size())));
        all.addAll(logAll());
        assertThat(all).hasSize(40);
    }

    private List<String> expected(Predicate<Event> filter) {
        return ids(inEventOrder(all.stream().filter(filter).toList()));
    }

    private void assertQuery(Query q, Predicate<Event> filter) {
        List<String> want = expected(filter);
        assertThat(want).as("the seed gives %s matches", q).isNotEmpty();
        assertThat(ids(store().query(q.limit(1000)).events())).as("%s", q).containsExactlyElementsOf(want);
        assertThat(ids(queryAll(q.limit(3)))).as("%s in pages of 3", q).containsExactlyElementsOf(want);
        assertThat(ids(queryAll(q.limit(3).descending()))).as("%s descending", q).containsExactlyElementsOf(reversed(want));
    }

    @Test
    void queryByTypeMatchesTheTypeExactly() {
        seed();
        assertQuery(Query.ofType("order"), e -> e.type().equals("order"));
        assertQuery(Query.ofType("orders"), e -> e.type().equals("orders"));
        assertQuery(Query.ofType("ord"), e -> e.type().equals("ord"));
        assertThat(store().query(Query.ofType("orde")).events()).isEmpty();
        assertThat(store().query(Query.ofType("ORDER")).events()).isEmpty();
    }

    @Test
    void queryByTagMatchesEventsCarryingTheTag() {
        seed();
        assertQuery(Query.ofTag("a"), e -> e.tags().contains("a"));
        assertQuery(Query.ofTag("ab"), e -> e.tags().contains("ab"));
        assertQuery(Query.ofTag("b"), e -> e.tags().contains("b"));
        assertThat(store().query(Query.ofTag("c")).events()).isEmpty();
    }

    @Test
    void queryByTypeAndTagNeedsBoth() {
        seed();
        assertQuery(Query.ofType("order").tag("a"), e -> e.type().equals("order") && e.tags().contains("a"));
        assertQuery(Query.ofType("orders").tag("ab"), e -> e.type().equals("orders") && e.tags().contains("ab"));
        assertThat(store().query(Query.ofType("order").tag("nope")).events()).isEmpty();
        assertThat(store().query(Query.ofType("nope").tag("a")).events()).isEmpty();
    }

    @Test
    void queryWithNeitherTypeNorTagReturnsAllEvents() {
        seed();
        assertQuery(Query.all(), e -> true);
    }

    @Test
    void timeRangeBoundsEventTimeStartInclusiveEndExclusive() {
        seed();
        Instant start = t("2016-03-31T00:00:00Z").plus(Duration.ofMinutes(331 * 3));
        Instant end = t("2016-03-31T00:00:00Z").plus(Duration.ofMinutes(331 * 8));
        TimeRange range = TimeRange.from(start).until(end);
        assertQuery(Query.all().range(range), e -> range.contains(e.time()));
        assertQuery(Query.ofType("order").range(range), e -> e.type().equals("order") && range.contains(e.time()));
        assertQuery(Query.ofTag("a").range(range), e -> e.tags().contains("a") && range.contains(e.time()));
        assertQuery(Query.ofType("orders").tag("b").range(range),
                e -> e.type().equals("orders") && e.tags().contains("b") && range.contains(e.time()));
        assertQuery(Query.all().from(start), e -> !e.time().isBefore(start));
        assertQuery(Query.all().until(end), e -> e.time().isBefore(end));
        assertThat(all).anyMatch(e -> e.time().equals(start)).anyMatch(e -> e.time().equals(end));
        assertThat(store().query(Query.all().range(TimeRange.from(start).until(start))).events()).isEmpty();
    }

    @Test
    void startOffsetSkipsMatchesOnTheFirstPageOnly() {
        seed();
        List<String> want = expected(e -> e.type().equals("order"));
        for (int offset : new int[] {0, 1, 5, want.size() - 1}) {
            EventPage first = store().query(Query.ofType("order").startOffset(offset).limit(2));
            assertThat(ids(first.events())).as("offset %d", offset)
                    .containsExactlyElementsOf(want.subList(offset, Math.min(offset + 2, want.size())));
            List<Event> rest = queryAll(Query.ofType("order").startOffset(offset).limit(2));
            assertThat(ids(rest)).as("offset %d, every page", offset).containsExactlyElementsOf(want.subList(offset, want.size()));
        }
        List<String> desc = reversed(want);
        assertThat(ids(queryAll(Query.ofType("order").descending().startOffset(3).limit(4))))
                .containsExactlyElementsOf(desc.subList(3, desc.size()));
        EventPage beyond = store().query(Query.ofType("order").startOffset(want.size()));
        assertThat(beyond.events()).isEmpty();
        assertThat(beyond.hasMore()).isFalse();
        assertThat(store().query(Query.all().startOffset(Query.MAX_START_OFFSET)).events()).isEmpty();
    }

    @Test
    void startOffsetIsIgnoredOnceAContinuationIsGiven() {
        seed();
        List<String> want = expected(e -> true);
        Cursor afterFifth = Cursor.after(all.stream().filter(e -> e.id().equals(want.get(4))).findFirst().orElseThrow());
        EventPage page = store().query(Query.all().startOffset(10).after(afterFifth).limit(3));
        assertThat(ids(page.events())).containsExactlyElementsOf(want.subList(5, 8));
    }

    @Test
    void limitBoundsThePage() {
        seed();
        assertThat(store().query(Query.all().limit(1)).events()).hasSize(1);
        EventPage page = store().query(Query.all().limit(39));
        assertThat(page.events()).hasSize(39);
        assertThat(page.hasMore()).isTrue();
        EventPage exact = store().query(Query.all().limit(40));
        assertThat(exact.events()).hasSize(40);
        assertThat(exact.hasMore()).as("nothing further existed").isFalse();
        assertThat(store().query(Query.all().limit(Query.MAX_LIMIT)).events()).hasSize(40);
        assertThat(store().query(Query.all()).events()).as("default limit").hasSize(40);
    }

    @Test
    void defaultLimitIsAHundred() {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 150; i++) events.add(event("many").build());
        store().append(events);
        EventPage page = store().query(Query.ofType("many"));
        assertThat(page.events()).hasSize(Query.DEFAULT_LIMIT);
        assertThat(page.hasMore()).isTrue();
        assertThat(queryAll(Query.ofType("many"))).hasSize(150);
    }

    @Test
    void emptyStoreAnswersEmptyPages() {
        EventPage page = store().query(Query.all());
        assertThat(page.events()).isEmpty();
        assertThat(page.hasMore()).isFalse();
        assertThat(store().query(Query.ofType("x").tag("y").descending()).events()).isEmpty();
    }

    @Test
    void anEventWithManyTagsAppearsOnceInEachTagQuery() {
        store().append(event("x").id("multi").tag("a").tag("b").tag("c").build(), event("x").id("single").tag("b").build());
        for (String tag : List.of("a", "b", "c")) {
            assertThat(ids(queryAll(Query.ofTag(tag).limit(1)))).as(tag).containsOnlyOnce("multi");
        }
        assertThat(ids(queryAll(Query.all().limit(1)))).containsExactlyInAnyOrder("multi", "single");
    }

    @Test
    void typesAndTagsThatLookLikeKeySeparatorsAreKeptApart() {
        List<String> names = List.of("a", "a\u0000", "a\u0000b", "a:b", "a/b", "a|b", "ab", "a\uFFFF", "\u0000");
        int n = 0;
        for (String name : names) store().append(event(name).id("n" + n++).tag(name).time(t("2016-01-01T00:00:00Z")).build());
        for (int i = 0; i < names.size(); i++) {
            String id = "n" + i;
            assertThat(ids(queryAll(Query.ofType(names.get(i)).limit(1)))).as("type #%d", i).containsExactly(id);
            assertThat(ids(queryAll(Query.ofTag(names.get(i)).descending().limit(1)))).as("tag #%d", i).containsExactly(id);
            assertThat(ids(queryAll(Query.ofType(names.get(i)).tag(names.get(i))))).as("both #%d", i).containsExactly(id);
        }
    }

    @Test
    void queriedEventsAreComplete() {
        store().append(event("full").id("f").version(3).source("src").aggregate("agg", "1").time(t("2016-03-31T10:36:42.171234Z"))
                .meta("k", "v").tag("t1").payload("{\"n\":1.10}").ttl(Duration.ofDays(1)).build());
        Event viaGet = stored("f");
        assertThat(store().query(Query.ofType("full")).events()).containsExactly(viaGet);
        assertThat(store().query(Query.ofTag("t1")).events()).containsExactly(viaGet);
        assertThat(store().query(Query.all()).events()).containsExactly(viaGet);
        assertThat(logAll()).containsExactly(viaGet);
        assertThat(historyAll(io.annals.core.api.AggregateQuery.of(viaGet.aggregate()))).containsExactly(viaGet);
    }
}
