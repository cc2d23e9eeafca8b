package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Appended;
import io.annals.core.api.Event;
import io.annals.core.api.EventOrdering;
import io.annals.core.api.EventPage;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.TimeRange;
import io.annals.core.spi.StorageEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Paging properties every engine passes (jqwik; runs on the JUnit platform next to {@link EventStoreContract}).
 * For any sequence of appends (random types, tags, aggregates, ids and event times, equal times included, spread
 * from microseconds to centuries so that they cross any bucket size) and any page size from 1 to 50: the pages of
 * a read concatenated forwards equal the whole result in (event time, id) order, backwards its reverse, with no
 * repeat and no gap. This holds for queries by type, by tag, by both, of all events, for aggregate histories
 * (each with or without a time range) and, in capture order, for the global log.
 * <p>
 * Extend it and implement {@link #openEngine}; every try opens a fresh engine and closes it at the end.
 */
public abstract class PagingProperties {
    private static final Instant BASE = Instant.parse("2016-03-31T10:00:00Z");
    private static final List<String> TYPES = List.of("order", "orders", "ord");
    private static final List<String> TAGS = List.of("x", "xy", "y");
    private static final List<String> ID_PIECES = List.of("a", "B", "0", "~", "\u00e9", "\uFFFD", "\uD83D\uDE00");

    /** Opens a fresh, empty engine whose TTL checks read {@code clock}. */
    protected abstract StorageEngine openEngine(Clock clock);

    /**
     * How many tries of each property open a store; later tries are rejected (jqwik reports them as such, not as
     * checks). Engines whose fresh store is costly (a real Cassandra node) lower it; the default runs every try.
     */
    protected int checkedTriesPerProperty() {
        return Integer.MAX_VALUE;
    }

    /** Tries run so far, by test class and property (jqwik may make a new instance per try). */
    private static final java.util.Map<String, Integer> TRIES_RUN = new java.util.concurrent.ConcurrentHashMap<>();

    /** One event to append; {@code newBatch} starts a new append, else it joins the previous one. */
    record Spec(String type, Set<String> tags, String aggregate, Instant time, String idPrefix, boolean newBatch) {}

    /** Which events a query selects. */
    record Filter(String type, String tag, TimeRange range) {
        Query query() {
            return Query.all().type(type).tag(tag).range(range);
        }

        boolean matches(Event e) {
            return (type == null || type.equals(e.type())) && (tag == null || e.tags().contains(tag)) && range.contains(e.time());
        }
    }

    @Property(tries = 60)
    void queryPagesConcatenateToTheWholeOrderedResult(@ForAll("appends") List<Spec> specs,
                                                      @ForAll @IntRange(min = 1, max = 50) int pageSize,
                                                      @ForAll("filters") Filter filter,
                                                      @ForAll @IntRange(min = 0, max = 3) int startOffset) {
        withStore(specs, (store, stored) -> {
            List<String> expected = ids(inOrder(stored, filter::matches));
            Query q = filter.query().limit(pageSize);
            assertThat(readQuery(store, q)).as("forward").containsExactlyElementsOf(expected);
            assertThat(readQuery(store, q.descending())).as("backward").containsExactlyElementsOf(reversed(expected));
            List<String> skipped = expected.subList(Math.min(startOffset, expected.size()), expected.size());
            assertThat(readQuery(store, q.startOffset(startOffset))).as("from offset").containsExactlyElementsOf(skipped);
        });
    }

    @Property(tries = 40)
    void aggregatePagesConcatenateToTheWholeHistory(@ForAll("appends") List<Spec> specs,
                                                    @ForAll @IntRange(min = 1, max = 50) int pageSize,
                                                    @ForAll("ranges") TimeRange range) {
        withStore(specs, (store, stored) -> {
            for (String name : List.of("1", "2", "3")) {
                AggregateId aggregate = AggregateId.of("agg", name);
                List<String> expected = ids(inOrder(stored, e -> aggregate.equals(e.aggregate()) && range.contains(e.time())));
                long version = stored.stream().filter(e -> aggregate.equals(e.aggregate())).count();
                AggregateQuery q = AggregateQuery.of(aggregate).range(range).limit(pageSize);
                assertThat(readHistory(store, q, version)).as("forward %s", name).containsExactlyElementsOf(expected);
                assertThat(readHistory(store, q.descending(), version)).as("backward %s", name)
                        .containsExactlyElementsOf(reversed(expected));
            }
        });
    }

    @Property(tries = 30)
    void logPagesConcatenateToCaptureOrder(@ForAll("appends") List<Spec> specs,
                                           @ForAll @IntRange(min = 1, max = 50) int pageSize) {
        withStore(specs, (store, stored) -> {
            List<String> read = new ArrayList<>();
            Position from = Position.start();
            while (true) {
                LogPage page = store.readLog(from, pageSize);
                assertThat(page.events().size()).isLessThanOrEqualTo(pageSize);
                page.events().forEach(e -> read.add(e.id()));
                if (page.next().equals(from)) break;
                from = page.next();
                assertThat(read.size()).as("the log ends").isLessThanOrEqualTo(stored.size());
            }
            assertThat(read).containsExactlyElementsOf(ids(stored));
        });
    }

    // ---- generators

    @Provide
    Arbitrary<List<Spec>> appends() {
        Arbitrary<String> aggregate = Arbitraries.of("1", "2", "3").injectNull(0.25);
        Arbitrary<String> idPrefix = Arbitraries.of(ID_PIECES).list().ofMinSize(1).ofMaxSize(3)
                .map(pieces -> String.join("", pieces)).injectNull(0.3);
        Arbitrary<Spec> spec = Combinators.combine(Arbitraries.of(TYPES), Arbitraries.of(TAGS).set().ofMaxSize(3),
                        aggregate, times(), idPrefix, Arbitraries.of(true, false))
                .as(Spec::new);
        return spec.list().ofMinSize(0).ofMaxSize(60);
    }

    /** Event times: a few that repeat exactly, neighbours a microsecond apart, and spreads over hours, days and centuries. */
    static Arbitrary<Instant> times() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(BASE, BASE.plusNanos(1000), Instant.EPOCH, Instant.EPOCH.minusNanos(1000),
                        Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"))),
                Tuple.of(3, Arbitraries.integers().between(-48, 48).map(k -> BASE.plus(Duration.ofMinutes(37L * k)))),
                Tuple.of(2, Arbitraries.integers().between(-400, 400).map(k -> BASE.plus(Duration.ofDays(k)))),
                Tuple.of(2, Arbitraries.integers().between(-300, 300).map(k -> BASE.plus(Duration.ofDays(365L * k + k % 7)))));
    }

    @Provide
    Arbitrary<TimeRange> ranges() {
        return Combinators.combine(times().injectNull(0.4), times().injectNull(0.4))
                .as((a, b) -> a == null || b == null || !b.isBefore(a) ? new TimeRange(a, b) : new TimeRange(b, a));
    }

    @Provide
    Arbitrary<Filter> filters() {
        return Combinators.combine(Arbitraries.of(TYPES).injectNull(0.4), Arbitraries.of(TAGS).injectNull(0.5), ranges())
                .as(Filter::new);
    }

    // ---- running

    private interface Check {
        void run(EventStore store, List<Event> storedInCaptureOrder);
    }

    private void withStore(List<Spec> specs, Check check) {
        String property = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst().orElseThrow().getMethodName());
        net.jqwik.api.Assume.that(TRIES_RUN.merge(getClass().getName() + "#" + property, 1, Integer::sum) <= checkedTriesPerProperty());
        MutableClock clock = MutableClock.at(BASE.plus(Duration.ofDays(1)));
        try (EventStore store = EventStores.open(openEngine(clock), clock)) {
            check.run(store, appendAll(store, specs));
        }
    }

    /** Appends the specs in batches and returns the stored events in capture order. */
    private static List<Event> appendAll(EventStore store, List<Spec> specs) {
        List<NewEvent> batch = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            if (s.newBatch() && !batch.isEmpty()) {
                store.append(batch).events().stream().map(Appended::id).forEach(ids::add);
                batch = new ArrayList<>();
            }
            NewEvent.Builder b = NewEvent.ofType(s.type()).time(s.time()).tags(List.copyOf(s.tags()));
            if (s.aggregate() != null) b.aggregate("agg", s.aggregate());
            if (s.idPrefix() != null) b.id(s.idPrefix() + "#" + i);
            batch.add(b.build());
        }
        if (!batch.isEmpty()) store.append(batch).events().stream().map(Appended::id).forEach(ids::add);
        List<Event> stored = new ArrayList<>();
        for (String id : ids) stored.add(store.get(id).orElseThrow(() -> new AssertionError("lost " + id)));
        return stored;
    }

    private static List<String> readQuery(EventStore store, Query first) {
        List<String> ids = new ArrayList<>();
        Query q = first;
        while (true) {
            EventPage page = store.query(q);
            assertThat(page.events().size()).isLessThanOrEqualTo(q.limit());
            page.events().forEach(e -> ids.add(e.id()));
            if (!page.hasMore()) return ids;
            assertThat(page.events()).as("a page with a continuation holds events").isNotEmpty();
            assertThat(ids.size()).as("the pages end").isLessThan(10_000);
            q = q.after(page.next());
        }
    }

    private static List<String> readHistory(EventStore store, AggregateQuery first, long version) {
        List<String> ids = new ArrayList<>();
        AggregateQuery q = first;
        while (true) {
            AggregatePage page = store.readAggregate(q);
            assertThat(page.events().size()).isLessThanOrEqualTo(q.limit());
            assertThat(page.streamVersion()).isEqualTo(version);
            page.events().forEach(e -> ids.add(e.id()));
            if (!page.hasMore()) return ids;
            assertThat(page.events()).as("a page with a continuation holds events").isNotEmpty();
            assertThat(ids.size()).as("the pages end").isLessThan(10_000);
            q = q.after(page.next());
        }
    }

    private static List<Event> inOrder(List<Event> events, Predicate<Event> filter) {
        return events.stream().filter(filter).sorted(Comparator.comparing(Event::time)
                .thenComparing(Event::id, EventOrdering::compareIds)).toList();
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    private static List<String> reversed(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        Collections.reverse(copy);
        return copy;
    }
}
