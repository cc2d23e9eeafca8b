package io.annals.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.Cursor;
import io.annals.core.api.Event;
import io.annals.core.api.EventOrdering;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Order;
import io.annals.core.api.Query;
import io.annals.core.api.TimeRange;
import io.annals.core.spi.EngineSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Paging on the real engine, with 5-second buckets and events spread over 40 seconds: for any events, page size,
 * order and kind of read, the pages concatenated are the whole ordered result, with no repeat and no gap, even
 * while other events are appended between pages. One store serves every try; each try has its own names and time.
 */
class EnginePagingProperties {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final AtomicInteger TRIES = new AtomicInteger();
    private static Path dir;
    private static EventStore store;

    enum Read { TYPE, TAG, TYPE_AND_TAG, ALL, AGGREGATE }

    record Spec(int secondsOffset, int micros, String id, boolean tagged, boolean typed) {}

    @BeforeContainer
    static void open() throws IOException {
        dir = Files.createTempDirectory("annals-paging");
        store = EventStores.open("rocksdb", new EngineSettings(dir, Map.of("index.bucket", "PT5S"),
                java.time.Clock.systemUTC()));
    }

    @AfterContainer
    static void close() throws IOException {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<List<Spec>> specs() {
        return specs(40);
    }

    @Provide
    Arbitrary<List<Spec>> few() {
        return specs(10);
    }

    private static Arbitrary<List<Spec>> specs(int max) {
        Arbitrary<Spec> spec = Combinators.combine(
                Arbitraries.integers().between(0, 40),
                Arbitraries.of(0, 0, 1, 999_999),
                Arbitraries.strings().withChars("ab\u00e9\uffff").ofMinLength(1).ofMaxLength(3),
                Arbitraries.of(true, false),
                Arbitraries.of(true, true, false)).as(Spec::new);
        return spec.list().ofMaxSize(max).uniqueElements(Spec::id);
    }

    @Property(tries = 80)
    void pagesJoinUpToTheWholeResultInEitherOrder(@ForAll("specs") List<Spec> specs,
                                                  @ForAll("few") List<Spec> appendedMeanwhile,
                                                  @ForAll @IntRange(min = 1, max = 7) int pageSize,
                                                  @ForAll Order order, @ForAll Read read) {
        int n = TRIES.incrementAndGet();
        Instant base = T0.plusSeconds(3600L * n);
        String type = "t" + n;
        String tag = "x" + n;
        AggregateId aggregate = AggregateId.of("agg", "a" + n);
        List<Event> stored = new ArrayList<>();
        for (Spec s : specs) stored.add(append(s, n, base, type, tag, aggregate, ""));
        Function<Event, Boolean> matches = e -> switch (read) {
            case TYPE -> e.type().equals(type);
            case TAG -> e.tags().contains(tag);
            case TYPE_AND_TAG -> e.type().equals(type) && e.tags().contains(tag);
            case ALL, AGGREGATE -> true;
        };
        Comparator<Event> ordering = order == Order.ASC ? EventOrdering.ASCENDING : EventOrdering.ASCENDING.reversed();
        List<Event> expected = stored.stream().filter(matches::apply).sorted(ordering).toList();

        List<Event> got = new ArrayList<>();
        Cursor cursor = null;
        int page = 0;
        do {
            List<Event> events;
            if (read == Read.AGGREGATE) {
                var p = store.readAggregate(AggregateQuery.of(aggregate).order(order).limit(pageSize).after(cursor));
                events = p.events();
                cursor = p.next();
            } else {
                String byType = read == Read.TYPE || read == Read.TYPE_AND_TAG ? type : null;
                String byTag = read == Read.TAG || read == Read.TYPE_AND_TAG ? tag : null;
                Query q = new Query(byType, byTag, TimeRange.from(base).until(base.plusSeconds(41)), order, pageSize, 0,
                        cursor);
                var p = store.query(q);
                events = p.events();
                cursor = p.next();
            }
            got.addAll(events);
            if (page < appendedMeanwhile.size()) append(appendedMeanwhile.get(page), n, base, type, tag, aggregate, "+");
            page++;
        } while (cursor != null);

        // in order, no repeats, and every event stored before the first page is there
        assertThat(got).isSortedAccordingTo(ordering);
        assertThat(got).allMatch(matches::apply, "matches the read");
        assertThat(got).extracting(Event::id).doesNotHaveDuplicates();
        assertThat(got).extracting(Event::id).containsAll(expected.stream().map(Event::id).toList());
        if (appendedMeanwhile.isEmpty()) assertThat(got).extracting(Event::id).containsExactlyElementsOf(
                expected.stream().map(Event::id).toList());
    }

    private static Event append(Spec s, int n, Instant base, String type, String tag, AggregateId aggregate, String mark) {
        NewEvent.Builder b = NewEvent.ofType(s.typed ? type : "other" + n).id(s.id + mark + "-" + n)
                .time(base.plusSeconds(s.secondsOffset).plusNanos(s.micros * 1000L)).aggregate(aggregate);
        if (s.tagged) b.tag(tag);
        String id = store.append(AppendRequest.of(b.build())).events().get(0).id();
        return store.get(id).orElseThrow();
    }
}
