package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.Event;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Query;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client-supplied id is the idempotency key: a repeat is stored once, a different event under it is refused. */
abstract class IdempotencyContract extends ContractSupport {

    private static NewEvent.Builder original() {
        return event("parcel.delivered").id("dup-1").source("scanner").aggregate("parcel", "p1")
                .time(t("2016-03-31T10:36:42.171234Z")).meta("k", "v").tag("london").tag("urgent")
                .payload("{\"address\":\"123 Sudbury Avenue\",\"weight\":1.10}").ttl(Duration.ofDays(30));
    }

    @Test
    void repeatWithSameContentIsADuplicateStoredOnce() {
        store().append(event("other").aggregate("parcel", "p1").build());
        Appended first = store().append(original().build()).events().get(0);
        clock().advance(Duration.ofMinutes(5));

        AppendResult again = store().append(original().build());

        Appended repeat = again.events().get(0);
        assertThat(repeat.duplicate()).isTrue();
        assertThat(again.allDuplicates()).isTrue();
        assertThat(repeat.id()).isEqualTo("dup-1");
        assertThat(repeat.position()).isEqualTo(first.position());
        assertThat(repeat.streamVersion()).isEqualTo(first.streamVersion()).isEqualTo(2);
        assertThat(ids(logAll())).containsOnlyOnce("dup-1").hasSize(2);
        assertThat(ids(queryAll(Query.ofType("parcel.delivered")))).containsExactly("dup-1");
        assertThat(ids(queryAll(Query.ofTag("london")))).containsExactly("dup-1");
        assertThat(historyAll(AggregateQuery.of(AggregateId.of("parcel", "p1")))).hasSize(2);
        assertThat(store().streamVersion(AggregateId.of("parcel", "p1"))).isEqualTo(2);
        assertThat(stored("dup-1").processedAt()).as("the stored capture time is kept").isEqualTo(START);
    }

    @Test
    void repeatOfAnEventWithoutAggregateIsADuplicate() {
        Appended first = store().append(event("x").id("free").payload("[1,2,3]").build()).events().get(0);
        Appended repeat = store().append(event("x").id("free").payload("[1, 2, 3]").build()).events().get(0);
        assertThat(repeat.duplicate()).isTrue();
        assertThat(repeat.position()).isEqualTo(first.position());
        assertThat(repeat.streamVersion()).isZero();
        assertThat(logAll()).hasSize(1);
    }

    @Test
    void payloadWhitespaceDoesNotMakeADifferentEvent() {
        store().append(event("x").id("e").payload("{\"a\":1,\"b\":[true,null]}").build());
        Appended repeat = store().append(event("x").id("e").payload(" {\n \"a\" : 1 , \"b\" : [ true , null ] }\n").build())
                .events().get(0);
        assertThat(repeat.duplicate()).isTrue();
    }

    @Test
    void repeatWithoutTimeIsADuplicateWhateverTheStoredTime() {
        store().append(original().build());
        Appended repeat = store().append(original().time(null).build()).events().get(0);
        assertThat(repeat.duplicate()).isTrue();
        assertThat(stored("dup-1").time()).isEqualTo(t("2016-03-31T10:36:42.171234Z"));
    }

    @Test
    void retryOfAnEventWhoseTimeTheServerChoseIsADuplicate() {
        Appended first = store().append(event("x").id("server-timed").build()).events().get(0);
        clock().advance(Duration.ofSeconds(30));
        Appended retry = store().append(event("x").id("server-timed").build()).events().get(0);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.position()).isEqualTo(first.position());
        assertThat(stored("server-timed").time()).isEqualTo(START);
    }

    @Test
    void repeatWithADifferentTimeIsAConflict() {
        store().append(original().build());
        assertConflict(original().time(t("2016-03-31T10:36:42.171235Z")).build());
    }

    @Test
    void sameIdWithAnyDifferentContentIsAConflictAndWritesNothing() {
        store().append(original().build());
        Event before = stored("dup-1");
        List<NewEvent> different = List.of(
                original().type("parcel.lost").build(),
                original().version(2).build(),
                original().source("another").build(),
                original().source(null).build(),
                original().aggregate("parcel", "p2").build(),
                original().aggregate(null).build(),
                original().meta("k", "w").build(),
                original().meta("extra", "v").build(),
                original().tags(List.of("london")).build(),
                original().tags(List.of("urgent", "london")).build(),
                original().payload("{\"address\":\"123 Sudbury Avenue\",\"weight\":1.1}").build(),
                original().payload("{\"weight\":1.10,\"address\":\"123 Sudbury Avenue\"}").build(),
                original().ttl(Duration.ofDays(31)).build(),
                original().ttl(null).build());
        for (NewEvent e : different) assertConflict(e);
        assertThat(stored("dup-1")).isEqualTo(before);
        assertThat(logAll()).hasSize(1);
        assertThat(store().streamVersion(AggregateId.of("parcel", "p1"))).isEqualTo(1);
        assertThat(store().streamVersion(AggregateId.of("parcel", "p2"))).isZero();
    }

    @Test
    void allDuplicateRetryWithTheExpectedVersionOfTheFirstTrySucceeds() {
        // a client retrying an append whose answer it lost must not see a version conflict
        List<NewEvent> events = List.of(event("x").id("r1").aggregate("acc", "a").build(),
                event("x").id("r2").aggregate("acc", "a").build());
        AppendResult first = store().append(io.annals.core.api.AppendRequest.of(events).expecting(ExpectedVersion.noStream()));

        AppendResult retry = store().append(io.annals.core.api.AppendRequest.of(events).expecting(ExpectedVersion.noStream()));

        assertThat(retry.allDuplicates()).isTrue();
        assertThat(retry.events()).extracting(Appended::position)
                .containsExactlyElementsOf(first.events().stream().map(Appended::position).toList());
        assertThat(retry.events()).extracting(Appended::streamVersion).containsExactly(1L, 2L);
        assertThat(store().streamVersion(AggregateId.of("acc", "a"))).isEqualTo(2);
    }

    @Test
    void partlyRepeatedAppendIsCheckedAgainstTheExpectedVersion() {
        NewEvent r1 = event("x").id("r1").aggregate("acc", "a").build();
        NewEvent r2 = event("x").id("r2").aggregate("acc", "a").build();
        store().append(io.annals.core.api.AppendRequest.of(r1).expecting(ExpectedVersion.noStream()));

        // r1 is a repeat; r2 is new, so the stale expectation is refused and nothing is written
        assertThatThrownBy(() -> store().append(io.annals.core.api.AppendRequest.of(r1, r2).expecting(ExpectedVersion.noStream())))
                .isInstanceOfSatisfying(io.annals.core.api.WrongExpectedVersionException.class, e -> assertThat(e.actual()).isEqualTo(1));
        assertThat(store().get("r2")).isEmpty();

        // with the current version the repeat is answered as such and the new event is numbered after it
        AppendResult r = store().append(io.annals.core.api.AppendRequest.of(r1, r2).expecting(ExpectedVersion.exactly(1)));
        assertThat(r.events()).extracting(Appended::duplicate).containsExactly(true, false);
        assertThat(r.events()).extracting(Appended::streamVersion).containsExactly(1L, 2L);
    }

    @Test
    void batchMixingRepeatsAndNewEventsStoresOnlyTheNewOnes() {
        store().append(event("x").id("old").aggregate("acc", "a").build());
        AppendResult r = store().append(event("x").id("new1").aggregate("acc", "a").build(),
                event("x").id("old").aggregate("acc", "a").build(),
                event("x").id("new2").aggregate("acc", "a").build());

        assertThat(r.events()).extracting(Appended::duplicate).containsExactly(false, true, false);
        assertThat(r.events()).extracting(Appended::streamVersion).containsExactly(2L, 1L, 3L);
        assertThat(r.allDuplicates()).isFalse();
        assertThat(ids(logAll())).containsExactly("old", "new1", "new2");
    }

    @Test
    void sameIdTwiceInOneAppendIsRefused() {
        NewEvent e = event("x").id("twice").build();
        assertThatThrownBy(() -> store().append(e, e)).isInstanceOf(InvalidEventException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> store().append(e, event("y").id("twice").build())).isInstanceOf(InvalidEventException.class);
        assertStoreIsEmpty();
    }

    @Test
    void anIdTheServerAssignedIsTheIdempotencyKeyOfItsEvent() {
        // a client that replays an event it read back, id included: a repeat, and a different event under it a conflict
        Appended first = store().append(event("x").aggregate("acc", "a").tag("t").payload("{\"n\":1}").build()).events().get(0);
        clock().advance(Duration.ofSeconds(30));
        Appended repeat = store().append(event("x").id(first.id()).aggregate("acc", "a").tag("t").payload("{\"n\":1}").build())
                .events().get(0);
        assertThat(repeat.duplicate()).isTrue();
        assertThat(repeat.position()).isEqualTo(first.position());
        assertConflict(event("x").id(first.id()).aggregate("acc", "a").tag("t").payload("{\"n\":2}").build());
        assertThat(logAll()).hasSize(1);
        assertThat(stored(first.id()).payload().json()).isEqualTo("{\"n\":1}");
    }

    @Test
    void aClientMayChooseIdsShapedLikeTheServersOwn() {
        // UUIDv7 strings a client made: found by id and deduplicated like any other id
        List<String> ids = List.of("019ad1b2-3c4d-7123-8abc-0123456789ab", "019ad1b2-3c4d-73e7-bfff-ffffffffffff",
                "00000000-0000-7000-8000-000000000000");
        for (String id : ids) store().append(event("x").id(id).build());
        for (String id : ids) {
            assertThat(stored(id).id()).isEqualTo(id);
            assertThat(store().append(event("x").id(id).build()).events().get(0).duplicate()).isTrue();
        }
        assertThat(ids(logAll())).containsExactlyElementsOf(ids);
    }

    @Test
    void idsAreComparedExactly() {
        store().append(event("x").id("Case").build(), event("x").id("case").build(), event("x").id("case ").build(),
                event("x").id("cas\u00e9").build(), event("x").id("case\u0301").build());
        assertThat(logAll()).hasSize(5);
        assertThat(stored("case ").id()).isEqualTo("case ");
        assertThat(stored("case\u0301").id()).isEqualTo("case\u0301");
    }

    private void assertConflict(NewEvent e) {
        assertThatThrownBy(() -> store().append(e)).as("%s", e)
                .isInstanceOfSatisfying(DuplicateIdConflictException.class, x -> {
                    assertThat(x.eventId()).isEqualTo(e.id());
                    assertThat(x.isTransient()).isFalse();
                });
    }
}
