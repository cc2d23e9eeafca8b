package io.annals.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.TimeRange;
import io.annals.core.api.WrongExpectedVersionException;
import io.annals.server.AnnalsServer;
import io.annals.server.ServerConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link AnnalsClient} against a real server (the in-memory engine) on a random port. */
class AnnalsClientServerTest {
    private static final Instant T0 = Instant.parse("2016-03-31T10:36:42.171234Z");
    private static AnnalsServer server;
    private static AnnalsClient client;

    @BeforeAll
    static void start() {
        server = AnnalsServer.start(ServerConfig.load(null, Map.of("annals.http.port", "0", "annals.store.engine", "memory")));
        client = AnnalsClient.builder().baseUri(server.uri()).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID();
    }

    @Test
    void appendedEventReadsBackExactly() {
        String id = unique("e");
        NewEvent e = NewEvent.ofType("parcel.delivered").id(id).source("depot-scanner:7").aggregate("parcel", unique("p"))
                .time(T0).meta("anyMetaKey", "someMetaValue").tag("london").tag("urgent")
                .payload("{\"deliveryAddress\":\"123 Sudbury Avenue\",\"weight\":1.10,\"n\":12345678901234567890}")
                .ttl(java.time.Duration.ofDays(30)).build();
        AppendResult r = client.append(e);
        assertThat(r.events()).hasSize(1);
        assertThat(r.events().get(0).id()).isEqualTo(id);
        assertThat(r.events().get(0).duplicate()).isFalse();
        assertThat(r.events().get(0).streamVersion()).isEqualTo(1);
        assertThat(r.events().get(0).position()).isNotNull();

        Event stored = client.get(id).orElseThrow();
        assertThat(stored.sameContentAs(new Event(id, e.type(), 1, e.source(), e.aggregate(), T0, T0, e.metadata(),
                e.tags(), e.payload(), e.ttl(), null, 0), true)).isTrue();
        assertThat(stored.payload().json()).contains("1.10").contains("12345678901234567890");
        assertThat(stored.position()).isEqualTo(r.events().get(0).position());
        assertThat(stored.streamVersion()).isEqualTo(1);
    }

    @Test
    void missingEventIsEmptyAndOddIdsAreEncoded() {
        assertThat(client.get(unique("nope"))).isEmpty();
        String odd = unique("a b/c?d&e=f%");
        client.append(NewEvent.ofType("odd").id(odd).build());
        assertThat(client.get(odd)).map(Event::id).contains(odd);
    }

    @Test
    void repeatedEventIsADuplicateAndChangedContentAConflict() {
        String id = unique("dup");
        NewEvent e = NewEvent.ofType("t").id(id).time(T0).payload("{\"a\":1}").build();
        Position first = client.append(e).events().get(0).position();
        AppendResult again = client.append(e);
        assertThat(again.allDuplicates()).isTrue();
        assertThat(again.events().get(0).position()).isEqualTo(first);

        Throwable t = catchThrowable(() -> client.append(e.toBuilder().payload("{\"a\":2}").build()));
        assertThat(t).isInstanceOf(DuplicateIdConflictException.class);
        assertThat(((DuplicateIdConflictException) t).eventId()).isEqualTo(id);
    }

    @Test
    void expectedVersionMismatchCarriesStreamAndVersionsAndWritesNothing() {
        AggregateId stream = AggregateId.of("account", unique("a"));
        NewEvent opened = NewEvent.ofType("opened").aggregate(stream).build();
        client.append(AppendRequest.of(opened).expecting(ExpectedVersion.noStream()));

        Throwable t = catchThrowable(() -> client.append(AppendRequest.of(opened).expecting(ExpectedVersion.noStream())));
        assertThat(t).isInstanceOf(WrongExpectedVersionException.class);
        WrongExpectedVersionException w = (WrongExpectedVersionException) t;
        assertThat(w.stream()).isEqualTo(stream);
        assertThat(w.expected()).isEqualTo(ExpectedVersion.noStream());
        assertThat(w.actual()).isEqualTo(1);

        client.append(AppendRequest.of(NewEvent.ofType("deposited").aggregate(stream).build(),
                NewEvent.ofType("deposited").aggregate(stream).build()).expecting(ExpectedVersion.exactly(1)));
        assertThat(client.streamVersion(stream)).isEqualTo(3);
        assertThatThrownBy(() -> client.append(AppendRequest.of(NewEvent.ofType("x").aggregate(stream).build())
                .expecting(ExpectedVersion.exactly(1)))).isInstanceOf(WrongExpectedVersionException.class);
        assertThat(client.streamVersion(stream)).isEqualTo(3);
        assertThat(client.streamVersion(AggregateId.of("account", unique("none")))).isZero();
    }

    @Test
    void aBatchWithOneBadEventStoresNothing() {
        String good = unique("good");
        String tooLong = "x".repeat(200);
        Throwable t = catchThrowable(() -> client.append(NewEvent.ofType("t").id(good).build(),
                NewEvent.ofType("t").id(tooLong).build()));
        assertThat(t).isInstanceOf(InvalidEventException.class).hasMessageContaining("id");
        assertThat(client.get(good)).isEmpty();
    }

    @Test
    void asyncAppendCompletesAndFailsWithTypedErrors() {
        String id = unique("async");
        AppendResult r = client.appendAsync(AppendRequest.of(NewEvent.ofType("t").id(id).build()))
                .toCompletableFuture().join();
        assertThat(r.events().get(0).id()).isEqualTo(id);
        Throwable t = catchThrowable(() -> client.appendAsync(AppendRequest.of(NewEvent.ofType("t").id("y".repeat(200)).build()))
                .toCompletableFuture().join());
        assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(InvalidEventException.class);
    }

    @Test
    void queryPagesCoverEveryMatchOnceInBothOrders() {
        String type = unique("paged");
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 53; i++) {
            // a few share a time, so that ties are broken by id across page boundaries
            events.add(NewEvent.ofType(type).id(String.format("id-%03d", (i * 37) % 53)).time(T0.plusSeconds(i / 3))
                    .tag(i % 2 == 0 ? "even" : "odd").build());
        }
        Collections.shuffle(events, new java.util.Random(7));
        client.append(events);

        List<Event> all = client.queryAll(Query.ofType(type).limit(7)).toList();
        assertThat(all).hasSize(53);
        assertThat(all).isSortedAccordingTo(java.util.Comparator.comparing(Event::time).thenComparing(Event::id));
        assertThat(all.stream().map(Event::id).distinct()).hasSize(53);

        List<Event> desc = new ArrayList<>(client.queryAll(Query.ofType(type).descending().limit(5)).toList());
        Collections.reverse(desc);
        assertThat(desc).extracting(Event::id).containsExactlyElementsOf(all.stream().map(Event::id).toList());

        EventPage first = client.query(Query.ofType(type).limit(10));
        assertThat(first.events()).hasSize(10);
        assertThat(first.hasMore()).isTrue();
        EventPage second = client.query(Query.ofType(type).limit(10).after(first.next()));
        assertThat(second.events().get(0).id()).isEqualTo(all.get(10).id());
        EventPage last = client.query(Query.ofType(type).limit(53));
        assertThat(last.hasMore()).isFalse();

        assertThat(client.queryAll(Query.ofType(type).tag("even").limit(4)).count()).isEqualTo(27);
        Instant from = T0.plusSeconds(3);
        Instant to = T0.plusSeconds(6);
        assertThat(client.queryAll(Query.ofType(type).range(TimeRange.from(from).until(to)).limit(2)).toList())
                .hasSize(9).allSatisfy(e -> assertThat(e.time()).isBetween(from, to.minusNanos(1)));
        assertThat(client.query(Query.ofType(type).startOffset(50)).events()).hasSize(3);
    }

    @Test
    void appendsBetweenPagesNeitherSkipNorRepeatEarlierEvents() {
        String type = unique("moving");
        List<NewEvent> before = new ArrayList<>();
        for (int i = 0; i < 30; i++)
            before.add(NewEvent.ofType(type).id("b-" + i).time(T0.plusSeconds(2L * i)).build());
        client.append(before);

        List<String> seen = new ArrayList<>();
        EventPage page = client.query(Query.ofType(type).limit(7));
        int round = 0;
        while (true) {
            page.events().forEach(e -> seen.add(e.id()));
            // between pages: events behind the cursor, in the gaps ahead of it, and after the end
            client.append(NewEvent.ofType(type).id("late-" + round).time(T0.minusSeconds(10)).build(),
                    NewEvent.ofType(type).id("gap-" + round).time(T0.plusSeconds(2L * (round * 7) + 1)).build());
            round++;
            if (!page.hasMore()) break;
            page = client.query(Query.ofType(type).limit(7).after(page.next()));
        }
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(before.stream().map(NewEvent::id).toList());
        assertThat(seen).noneMatch(id -> id.startsWith("late-"));
    }

    @Test
    void aggregateHistoryPagesAndCarriesTheStreamVersion() {
        AggregateId parcel = AggregateId.of("parcel", unique("p"));
        for (int i = 0; i < 12; i++) {
            // appended out of event-time order: the history is by event time
            client.append(NewEvent.ofType("scanned").aggregate(parcel).time(T0.plusSeconds(12 - i)).build());
        }
        AggregatePage page = client.readAggregate(AggregateQuery.of(parcel).limit(5));
        assertThat(page.streamVersion()).isEqualTo(12);
        assertThat(page.events()).hasSize(5);
        assertThat(page.hasMore()).isTrue();
        List<Event> history = client.readAggregateAll(AggregateQuery.of(parcel).limit(5)).toList();
        assertThat(history).hasSize(12).isSortedAccordingTo(java.util.Comparator.comparing(Event::time));
        assertThat(history.get(0).streamVersion()).isEqualTo(12);
        assertThat(client.readAggregateAll(AggregateQuery.of(parcel).descending().limit(4)).findFirst().orElseThrow()
                .streamVersion()).isEqualTo(1);
        AggregatePage none = client.readAggregate(AggregateQuery.of(AggregateId.of("parcel", unique("none"))));
        assertThat(none.events()).isEmpty();
        assertThat(none.streamVersion()).isZero();
    }

    @Test
    void logIsInCaptureOrderAndResumesFromItsPosition() {
        LogPage head = client.readLog(Position.start(), 1000);
        Position at = head.next();
        while (true) {
            LogPage more = client.readLog(at, 1000);
            if (more.events().isEmpty()) break;
            at = more.next();
        }
        String a = unique("log");
        String b = unique("log");
        client.append(NewEvent.ofType("t").id(a).time(T0.plusSeconds(100)).build());
        client.append(NewEvent.ofType("t").id(b).time(T0).build());
        LogPage page = client.readLog(at, 10);
        assertThat(page.events()).extracting(Event::id).containsExactly(a, b);
        assertThat(client.readLog(page.next(), 10).events()).isEmpty();
    }

    @Test
    void healthIsUpAndStatsAreNotOfferedOverHttp() {
        assertThat(client.health().isUp()).isTrue();
        assertThatThrownBy(() -> client.stats()).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("/metrics");
    }

    @Test
    void anUnknownRouteIsAnHttpErrorWithTheProblem() {
        try (AnnalsClient prefixed = AnnalsClient.builder().baseUri(server.uri() + "/nothing-here").build()) {
            Throwable t = catchThrowable(() -> prefixed.query(Query.all()));
            assertThat(t).isInstanceOf(AnnalsHttpException.class);
            assertThat(((AnnalsHttpException) t).status()).isEqualTo(404);
            assertThat(((AnnalsHttpException) t).isTransient()).isFalse();
        }
    }
}
