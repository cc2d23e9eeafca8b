package io.annals.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueryValidationTest {
    private static final Instant A = Instant.parse("2016-03-31T10:00:00Z");
    private static final Instant B = Instant.parse("2016-03-31T11:00:00Z");

    @Test
    void queryDefaults() {
        Query q = Query.all();
        assertThat(q.type()).isNull();
        assertThat(q.tag()).isNull();
        assertThat(q.range()).isEqualTo(TimeRange.all());
        assertThat(q.order()).isEqualTo(Order.ASC);
        assertThat(q.limit()).isEqualTo(100);
        assertThat(q.startOffset()).isZero();
        assertThat(q.after()).isNull();
    }

    @Test
    void queryReadsAsAPhraseAndEachStepIsANewValue() {
        Query base = Query.ofType("parcel.delivered");
        Query q = base.tag("urgent").from(A).until(B).descending().limit(50).startOffset(3);
        assertThat(q).isEqualTo(new Query("parcel.delivered", "urgent", new TimeRange(A, B), Order.DESC, 50, 3, null));
        assertThat(base).isEqualTo(Query.all().type("parcel.delivered"));
        assertThat(Query.ofTag("x").type()).isNull();
    }

    @Test
    void queryLimitIsOneToAThousand() {
        assertThat(Query.all().limit(1).limit()).isEqualTo(1);
        assertThat(Query.all().limit(1000).limit()).isEqualTo(1000);
        assertThatThrownBy(() -> Query.all().limit(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> Query.all().limit(1001)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000");
        assertThatThrownBy(() -> Query.all().limit(-5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startOffsetIsZeroToTenThousand() {
        assertThat(Query.all().startOffset(10_000).startOffset()).isEqualTo(10_000);
        assertThatThrownBy(() -> Query.all().startOffset(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Query.all().startOffset(10_001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("startOffset");
    }

    @Test
    void aggregateQueryDefaultsAndBounds() {
        AggregateQuery q = AggregateQuery.of(AggregateId.of("parcel", "p1"));
        assertThat(q.limit()).isEqualTo(1000);
        assertThat(q.order()).isEqualTo(Order.ASC);
        assertThat(q.range()).isEqualTo(TimeRange.all());
        assertThat(q.limit(10_000).limit()).isEqualTo(10_000);
        assertThatThrownBy(() -> q.limit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> q.limit(10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AggregateQuery.of(null)).isInstanceOf(NullPointerException.class);
        assertThat(q.descending().order()).isEqualTo(Order.DESC);
    }

    @Test
    void timeRangeStartIsInclusiveAndEndExclusive() {
        TimeRange r = TimeRange.from(A).until(B);
        assertThat(r.contains(A)).isTrue();
        assertThat(r.contains(B.minusNanos(1000))).isTrue();
        assertThat(r.contains(B)).isFalse();
        assertThat(r.contains(A.minusNanos(1000))).isFalse();
        assertThat(TimeRange.all().contains(Instant.MIN)).isTrue();
        assertThat(TimeRange.before(B).contains(Instant.parse("0001-01-01T00:00:00Z"))).isTrue();
        assertThat(TimeRange.from(A).contains(Instant.parse("9999-12-31T23:59:59Z"))).isTrue();
        assertThat(r.isEmpty()).isFalse();
        assertThat(TimeRange.from(A).until(A).isEmpty()).isTrue();
        assertThat(TimeRange.from(A).until(A).contains(A)).isFalse();
        assertThat(TimeRange.all().isEmpty()).isFalse();
    }

    @Test
    void timeRangeMustNotEndBeforeItStarts() {
        assertThatThrownBy(() -> TimeRange.from(B).until(A)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be before");
    }

    @Test
    void orderParsesItsTextForm() {
        assertThat(Order.parse("asc")).isEqualTo(Order.ASC);
        assertThat(Order.parse("desc")).isEqualTo(Order.DESC);
        assertThat(Order.DESC.text()).isEqualTo("desc");
        assertThatThrownBy(() -> Order.parse("DESC")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("asc or desc");
    }

    @Test
    void appendRequestsAreImmutableAndNeedAnExpectedVersion() {
        java.util.List<NewEvent> events = new java.util.ArrayList<>(java.util.List.of(NewEvent.ofType("a").build()));
        AppendRequest r = AppendRequest.of(events);
        events.add(NewEvent.ofType("b").build());
        assertThat(r.events()).hasSize(1);
        assertThat(r.expectedVersion()).isEqualTo(ExpectedVersion.any());
        assertThat(r.expecting(ExpectedVersion.noStream()).expectedVersion()).isEqualTo(ExpectedVersion.noStream());
        assertThatThrownBy(() -> new AppendRequest(events, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aggregateNamesAreOneTo256Characters() {
        assertThat(AggregateId.of("t".repeat(256), "i").type()).hasSize(256);
        assertThatThrownBy(() -> AggregateId.of("", "i")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> AggregateId.of("t", "")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> AggregateId.of("t".repeat(257), "i")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> AggregateId.of("t", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void positionsAreOpaqueNonEmptyText() {
        assertThat(Position.start().isStart()).isTrue();
        assertThat(Position.of("42").isStart()).isFalse();
        assertThat(Position.of("42")).hasToString("42");
        assertThatThrownBy(() -> Position.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Position.of(null)).isInstanceOf(NullPointerException.class);
    }
}
