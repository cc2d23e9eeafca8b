package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import io.annals.core.api.WrongExpectedVersionException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Optimistic concurrency on one aggregate stream: any, noStream, or exactly the current version. */
abstract class ExpectedVersionContract extends ContractSupport {
    private static final AggregateId ORDER = AggregateId.of("order", "o-1");

    private AppendResult append(ExpectedVersion expected, NewEvent... events) {
        return store().append(AppendRequest.of(events).expecting(expected));
    }

    private static NewEvent next() {
        return event("order.changed").aggregate(ORDER).build();
    }

    @Test
    void noStreamCreatesAStream() {
        assertThat(append(ExpectedVersion.noStream(), next()).events().get(0).streamVersion()).isEqualTo(1);
        assertThat(store().streamVersion(ORDER)).isEqualTo(1);
    }

    @Test
    void noStreamOnAnExistingStreamIsRefused() {
        store().append(next(), next());
        assertWrongVersion(ExpectedVersion.noStream(), 2);
    }

    @Test
    void exactlyZeroIsTheSameAsNoStream() {
        assertThat(append(ExpectedVersion.exactly(0), next()).events().get(0).streamVersion()).isEqualTo(1);
        assertWrongVersion(ExpectedVersion.exactly(0), 1);
    }

    @Test
    void exactlyTheCurrentVersionAppendsAfterIt() {
        for (long v = 0; v < 5; v++) {
            Appended a = append(ExpectedVersion.exactly(v), next()).events().get(0);
            assertThat(a.streamVersion()).isEqualTo(v + 1);
        }
        AppendResult batch = append(ExpectedVersion.exactly(5), next(), next(), next());
        assertThat(batch.events()).extracting(Appended::streamVersion).containsExactly(6L, 7L, 8L);
        assertThat(store().streamVersion(ORDER)).isEqualTo(8);
    }

    @Test
    void staleOrFutureVersionIsRefusedWithBothVersionsAndWritesNothing() {
        store().append(next(), next(), next());
        assertWrongVersion(ExpectedVersion.exactly(2), 3);
        assertWrongVersion(ExpectedVersion.exactly(4), 3);
        assertWrongVersion(ExpectedVersion.exactly(1_000_000), 3);
        assertThat(historyAll(AggregateQuery.of(ORDER))).hasSize(3);
        assertThat(logAll()).hasSize(3);
    }

    @Test
    void versionOfOneStreamDoesNotAffectAnother() {
        store().append(next(), next());
        AggregateId other = AggregateId.of("order", "o-2");
        Appended a = append(ExpectedVersion.noStream(), event("order.created").aggregate(other).build()).events().get(0);
        assertThat(a.streamVersion()).isEqualTo(1);
        assertThat(store().streamVersion(ORDER)).isEqualTo(2);
        AggregateId sameIdOtherType = AggregateId.of("invoice", "o-1");
        assertThat(append(ExpectedVersion.exactly(0), event("x").aggregate(sameIdOtherType).build()).events().get(0)
                .streamVersion()).isEqualTo(1);
    }

    @Test
    void anyAlwaysAppends() {
        store().append(next());
        assertThat(append(ExpectedVersion.any(), next()).events().get(0).streamVersion()).isEqualTo(2);
    }

    @Test
    void anExpectedVersionNeedsAllEventsInOneAggregate() {
        NewEvent other = event("x").aggregate("order", "o-2").build();
        NewEvent none = event("x").build();
        assertThatThrownBy(() -> append(ExpectedVersion.noStream(), next(), other)).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> append(ExpectedVersion.exactly(0), next(), none)).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> append(ExpectedVersion.noStream(), none)).isInstanceOf(InvalidEventException.class);
        assertStoreIsEmpty();
    }

    @Test
    void anyAllowsManyAggregatesInOneAppend() {
        AppendResult r = append(ExpectedVersion.any(), next(), event("x").aggregate("order", "o-2").build(), event("x").build());
        assertThat(r.events()).extracting(Appended::streamVersion).containsExactly(1L, 1L, 0L);
    }

    private void assertWrongVersion(ExpectedVersion expected, long actual) {
        long logSize = logAll().size();
        assertThatThrownBy(() -> append(expected, next(), next()))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.stream()).isEqualTo(ORDER);
                    assertThat(e.expected()).isEqualTo(expected);
                    assertThat(e.actual()).isEqualTo(actual);
                    assertThat(e.isTransient()).isFalse();
                });
        assertThat(store().streamVersion(ORDER)).isEqualTo(actual);
        assertThat(logAll()).hasSize((int) logSize);
    }
}
