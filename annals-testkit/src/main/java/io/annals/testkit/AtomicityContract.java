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
import io.annals.core.api.Query;
import io.annals.core.api.WrongExpectedVersionException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch is all-or-nothing: when one event is refused, no event of it is visible through any read. */
abstract class AtomicityContract extends ContractSupport {

    /** Everything a reader can see, to compare before and after a refused append. */
    private record Visible(List<Event> log, List<Event> all, List<Event> byType, List<Event> byTag, List<Event> history,
                           long version) {}

    private Visible visible() {
        AggregateId a = AggregateId.of("acc", "a");
        return new Visible(logAll(), everything(), queryAll(Query.ofType("batch")), queryAll(Query.ofTag("batch")),
                historyAll(AggregateQuery.of(a)), store().streamVersion(a));
    }

    private static List<NewEvent> batchEndingWith(NewEvent last) {
        return List.of(event("batch").id("b1").aggregate("acc", "a").tag("batch").time(t("2021-01-01T00:00:00Z")).build(),
                event("batch").id("b2").aggregate("acc", "a").tag("batch").time(t("2019-01-01T00:00:00Z")).build(),
                event("batch").id("b3").tag("batch").build(),
                last);
    }

    private void seed() {
        store().append(event("seed").id("conflicting").aggregate("acc", "a").payload("1").build());
    }

    @Test
    void batchWithOneConflictingIdWritesNothing() {
        seed();
        Visible before = visible();

        assertThatThrownBy(() -> store().append(batchEndingWith(event("seed").id("conflicting").payload("2").build())))
                .isInstanceOf(DuplicateIdConflictException.class);

        assertNothingOfTheBatch(before);
    }

    @Test
    void batchWhoseFirstEventConflictsWritesNothing() {
        seed();
        Visible before = visible();
        List<NewEvent> batch = new java.util.ArrayList<>(batchEndingWith(event("batch").id("b4").build()));
        batch.add(0, event("seed").id("conflicting").payload("2").build());

        assertThatThrownBy(() -> store().append(batch)).isInstanceOf(DuplicateIdConflictException.class);

        assertNothingOfTheBatch(before);
    }

    @Test
    void batchWithAWrongExpectedVersionWritesNothing() {
        seed();
        Visible before = visible();
        List<NewEvent> batch = List.of(event("batch").id("b1").aggregate("acc", "a").tag("batch").build(),
                event("batch").id("b2").aggregate("acc", "a").tag("batch").build());

        assertThatThrownBy(() -> store().append(AppendRequest.of(batch).expecting(ExpectedVersion.exactly(0))))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThatThrownBy(() -> store().append(AppendRequest.of(batch).expecting(ExpectedVersion.noStream())))
                .isInstanceOf(WrongExpectedVersionException.class);

        assertNothingOfTheBatch(before);
    }

    @Test
    void batchWithOneInvalidEventWritesNothing() {
        seed();
        Visible before = visible();

        assertThatThrownBy(() -> store().append(batchEndingWith(event("").build())))
                .isInstanceOf(io.annals.core.api.InvalidEventException.class);

        assertNothingOfTheBatch(before);
    }

    @Test
    void refusedBatchLeavesTheStoreUsable() {
        seed();
        assertThatThrownBy(() -> store().append(batchEndingWith(event("seed").id("conflicting").payload("2").build())))
                .isInstanceOf(DuplicateIdConflictException.class);

        var r = store().append(batchEndingWith(event("batch").id("b4").aggregate("acc", "a").tag("batch").build()));

        assertThat(r.events()).extracting(a -> a.streamVersion()).containsExactly(2L, 3L, 0L, 4L);
        assertThat(ids(logAll())).containsExactly("conflicting", "b1", "b2", "b3", "b4");
        assertThat(ids(queryAll(Query.ofTag("batch")))).containsExactlyInAnyOrder("b1", "b2", "b3", "b4");
    }

    private void assertNothingOfTheBatch(Visible before) {
        for (String id : List.of("b1", "b2", "b3", "b4")) assertThat(store().get(id)).as(id).isEmpty();
        assertThat(visible()).isEqualTo(before);
        assertThat(stored("conflicting").payload().json()).isEqualTo("1");
    }
}
