package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.EventStore;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreStats;
import io.annals.core.api.StoreUnavailableException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Statistics, and what a closed store does: every call fails with a transient {@link StoreUnavailableException}. */
abstract class LifecycleContract extends ContractSupport {

    /** An engine that cannot count reports -1; one that counts must count each stored event once. */
    @Test
    void statsCountStoredEventsOnce() {
        StoreStats empty = store().stats();
        assertThat(empty.approximateEvents()).isIn(-1L, 0L);
        for (int i = 0; i < 12; i++) store().append(event("s").id("s" + i).build());
        store().append(event("s").id("s0").build(), event("s").id("s1").build());
        StoreStats stats = store().stats();
        if (empty.approximateEvents() == 0) assertThat(stats.approximateEvents()).isEqualTo(12);
        else assertThat(stats.approximateEvents()).isEqualTo(-1);
        assertThat(stats.sizeBytes()).isGreaterThanOrEqualTo(-1);
    }

    @Test
    void closingTwiceIsHarmless() {
        store().close();
        store().close();
    }

    @Test
    void aClosedStoreRefusesEveryCall() {
        store().append(event("x").id("before").aggregate("a", "1").build());
        EventStore closed = store();
        closed.close();

        assertUnavailable(() -> closed.append(event("x").build()));
        assertThatThrownBy(() -> closed.appendAsync(AppendRequest.of(event("x").build())).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(StoreUnavailableException.class);
        assertUnavailable(() -> closed.get("before"));
        assertUnavailable(() -> closed.query(Query.all()));
        assertUnavailable(() -> closed.readAggregate(AggregateQuery.of(AggregateId.of("a", "1"))));
        assertUnavailable(() -> closed.streamVersion(AggregateId.of("a", "1")));
        assertUnavailable(() -> closed.readLog(Position.start(), 10));
    }

    @Test
    void closingWhileAppendsAreInFlightEndsEachOfThemCleanly() throws Exception {
        ClosingRace race = ClosingRace.run(store(), 4);
        assertThat(race.failures()).as("appends cut off by close fail as unavailable")
                .allSatisfy(f -> assertThat(f).isInstanceOf(StoreUnavailableException.class));
        assertThat(race.acknowledged()).isNotEmpty();
    }

    private static void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StoreUnavailableException.class,
                e -> assertThat(e.isTransient()).isTrue());
    }
}
