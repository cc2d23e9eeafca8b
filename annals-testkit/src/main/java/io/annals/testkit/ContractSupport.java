package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Event;
import io.annals.core.api.EventOrdering;
import io.annals.core.api.EventPage;
import io.annals.core.api.EventStore;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Helpers shared by the areas of {@link EventStoreContract}: fixtures, event builders and readers of every page. */
abstract class ContractSupport {
    /** Where every test's clock starts: a time with whole microseconds, so capture times are exact. */
    static final Instant START = Instant.parse("2026-03-01T09:15:30.123456Z");

    /** A guard against a continuation that never ends: no test stores anywhere near this many pages. */
    private static final int MAX_PAGES = 100_000;

    protected abstract StoreFixture fixture();

    EventStore store() {
        return fixture().store();
    }

    MutableClock clock() {
        return fixture().clock();
    }

    EventStore reopen() {
        return fixture().reopen();
    }

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    static NewEvent.Builder event(String type) {
        return NewEvent.ofType(type);
    }

    Event stored(String id) {
        return store().get(id).orElseThrow(() -> new AssertionError("event '" + id + "' should be stored"));
    }

    /** Every page of {@code first}, following continuations; checks that each page respects the limit. */
    List<Event> queryAll(Query first) {
        List<Event> all = new ArrayList<>();
        Query q = first;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            EventPage page = store().query(q);
            assertThat(page.events().size()).as("page size").isLessThanOrEqualTo(q.limit());
            all.addAll(page.events());
            if (!page.hasMore()) return all;
            assertThat(page.events()).as("a page with a continuation holds events").isNotEmpty();
            q = q.after(page.next());
        }
        return fail("the query did not end after " + MAX_PAGES + " pages");
    }

    /** Every page of an aggregate's history, following continuations. */
    List<Event> historyAll(AggregateQuery first) {
        List<Event> all = new ArrayList<>();
        AggregateQuery q = first;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            AggregatePage page = store().readAggregate(q);
            assertThat(page.events().size()).as("page size").isLessThanOrEqualTo(q.limit());
            all.addAll(page.events());
            if (!page.hasMore()) return all;
            assertThat(page.events()).as("a page with a continuation holds events").isNotEmpty();
            q = q.after(page.next());
        }
        return fail("the history did not end after " + MAX_PAGES + " pages");
    }

    /** The whole global log from the start, read {@code pageSize} events at a time. */
    List<Event> logAll(int pageSize) {
        return logAfter(Position.start(), pageSize);
    }

    /** The global log strictly after {@code after}, read until a read makes no progress. */
    List<Event> logAfter(Position after, int pageSize) {
        List<Event> all = new ArrayList<>();
        Position from = after;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            LogPage page = readLog(from, pageSize);
            assertThat(page.events().size()).as("log page size").isLessThanOrEqualTo(pageSize);
            all.addAll(page.events());
            if (page.next().equals(from)) {
                assertThat(page.events()).as("a read that does not move on returns nothing").isEmpty();
                return all;
            }
            from = page.next();
        }
        return fail("the log did not end after " + MAX_PAGES + " pages");
    }

    /** One read of the global log, once the events appended so far are visible in it. */
    LogPage readLog(Position after, int limit) {
        fixture().awaitLogSettled();
        return store().readLog(after, limit);
    }

    List<Event> logAll() {
        return logAll(1000);
    }

    List<Event> everything() {
        return queryAll(Query.all().limit(Query.MAX_LIMIT));
    }

    static List<String> ids(Collection<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    /** {@code events} in the order of histories and queries: event time, then id bytes. */
    static List<Event> inEventOrder(Collection<Event> events) {
        return events.stream().sorted(EventOrdering.ASCENDING).toList();
    }

    static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    /** Asserts that nothing at all is stored: no log entry, no query match. */
    void assertStoreIsEmpty() {
        assertThat(logAll()).as("log").isEmpty();
        assertThat(everything()).as("query of all events").isEmpty();
    }
}
