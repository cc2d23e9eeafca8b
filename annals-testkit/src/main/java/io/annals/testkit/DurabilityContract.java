package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.Event;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.WrongExpectedVersionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every acknowledged event, version, index entry and log position is there again after the store is reopened. */
abstract class DurabilityContract extends ContractSupport {
    private static final AggregateId AGG = AggregateId.of("durable", "d1");

    private List<Event> appendVariety() {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(event(i % 2 == 0 ? "even" : "odd").id("d" + i).aggregate(AGG).tag("t" + (i % 3))
                    .time(t("2016-01-01T00:00:00Z").plus(Duration.ofHours(17L * ((i * 7) % 30)))).meta("i", "" + i)
                    .payload("{\"i\":" + i + ",\"price\":1.10}").build());
        }
        store().append(batch.subList(0, 10));
        store().append(AppendRequest.of(batch.subList(10, 20)).expecting(ExpectedVersion.exactly(10)));
        for (NewEvent e : batch.subList(20, 30)) store().append(e);
        store().append(event("free").id("free").time(t("1969-07-20T20:17:40Z")).build());
        store().append(event("expiring").id("expiring").ttl(Duration.ofMinutes(5)).build());
        return logAll();
    }

    @Test
    void everythingAcknowledgedIsReadableAfterReopening() {
        List<Event> before = appendVariety();
        List<Event> byEven = queryAll(Query.ofType("even"));
        List<Event> byTag = queryAll(Query.ofTag("t1").descending().limit(4));
        List<Event> history = historyAll(AggregateQuery.of(AGG).limit(7));

        reopen();

        assertThat(logAll()).containsExactlyElementsOf(before);
        assertThat(logAll(3)).containsExactlyElementsOf(before);
        for (Event e : before) assertThat(stored(e.id())).isEqualTo(e);
        assertThat(queryAll(Query.ofType("even"))).containsExactlyElementsOf(byEven);
        assertThat(queryAll(Query.ofTag("t1").descending().limit(4))).containsExactlyElementsOf(byTag);
        assertThat(historyAll(AggregateQuery.of(AGG).limit(7))).containsExactlyElementsOf(history);
        assertThat(store().streamVersion(AGG)).isEqualTo(30);
        assertThat(store().stats().approximateEvents()).isIn(-1L, (long) before.size());
    }

    @Test
    void appendsAfterReopeningContinueVersionsAndTheLog() {
        List<Event> before = appendVariety();
        Position end = before.get(before.size() - 1).position();
        reopen();

        var r = store().append(AppendRequest.of(event("even").id("after").aggregate(AGG).build()).expecting(ExpectedVersion.exactly(30)));
        assertThat(r.events().get(0).streamVersion()).isEqualTo(31);
        assertThat(ids(logAfter(end, 10))).containsExactly("after");
        assertThat(ids(logAll())).hasSize(before.size() + 1).endsWith("after");
        assertThatThrownBy(() -> store().append(AppendRequest.of(event("x").aggregate(AGG).build()).expecting(ExpectedVersion.exactly(30))))
                .isInstanceOf(WrongExpectedVersionException.class);
        store().append(event("y").id("new-server-id").build());
        assertThat(new java.util.HashSet<>(logAll().stream().map(Event::position).toList())).hasSize(before.size() + 2);
    }

    @Test
    void idsStayIdempotencyKeysAfterReopening() {
        List<Event> before = appendVariety();
        Event d3 = before.stream().filter(e -> e.id().equals("d3")).findFirst().orElseThrow();
        reopen();

        var repeat = store().append(event("odd").id("d3").aggregate(AGG).tag("t0")
                .time(d3.time()).meta("i", "3").payload("{\"i\":3,\"price\":1.10}").build());
        assertThat(repeat.events().get(0).duplicate()).isTrue();
        assertThat(repeat.events().get(0).position()).isEqualTo(d3.position());
        assertThat(repeat.events().get(0).streamVersion()).isEqualTo(d3.streamVersion());
        assertThatThrownBy(() -> store().append(event("odd").id("d3").build())).isInstanceOf(DuplicateIdConflictException.class);
        assertThat(logAll()).hasSize(before.size());
    }

    @Test
    void ttlIsStillHonouredAfterReopening() {
        appendVariety();
        reopen();
        assertThat(store().get("expiring")).isPresent();
        clock().advance(Duration.ofMinutes(5));
        assertThat(store().get("expiring")).isEmpty();
        assertThat(ids(logAll())).doesNotContain("expiring");
        reopen();
        assertThat(store().get("expiring")).isEmpty();
        assertThat(store().get("free")).isPresent();
    }

    @Test
    void everyAppendAcknowledgedBeforeCloseIsThereAfterReopening() throws Exception {
        ClosingRace race = ClosingRace.run(store(), 4);
        reopen();
        List<String> log = ids(logAll());
        assertThat(log).containsAll(race.acknowledged());
        assertThat(new java.util.HashSet<>(log)).hasSize(log.size());
        for (String id : race.acknowledged()) assertThat(store().get(id)).as(id).isPresent();
    }

    @Test
    void anEmptyStoreReopensEmpty() {
        reopen();
        assertStoreIsEmpty();
        assertThat(store().streamVersion(AGG)).isZero();
        store().append(event("x").id("first").build());
        reopen();
        assertThat(ids(logAll())).containsExactly("first");
    }
}
