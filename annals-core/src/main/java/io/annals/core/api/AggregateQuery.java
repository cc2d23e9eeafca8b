package io.annals.core.api;

/**
 * A read of one aggregate's history, ordered by event time then id.
 * {@code AggregateQuery.of(AggregateId.of("parcel", "p1")).descending().limit(10)}.
 */
public record AggregateQuery(AggregateId aggregate, TimeRange range, Order order, int limit, Cursor after) {
    public static final int MAX_LIMIT = 10_000;

    public AggregateQuery {
        java.util.Objects.requireNonNull(aggregate, "aggregate");
        range = range == null ? TimeRange.all() : range;
        order = order == null ? Order.ASC : order;
        if (limit < 1 || limit > MAX_LIMIT)
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
    }

    public static AggregateQuery of(AggregateId aggregate) {
        return new AggregateQuery(aggregate, TimeRange.all(), Order.ASC, 1000, null);
    }

    public AggregateQuery range(TimeRange r) { return new AggregateQuery(aggregate, r, order, limit, after); }
    public AggregateQuery order(Order o) { return new AggregateQuery(aggregate, range, o, limit, after); }
    public AggregateQuery descending() { return order(Order.DESC); }
    public AggregateQuery limit(int n) { return new AggregateQuery(aggregate, range, order, n, after); }
    public AggregateQuery after(Cursor c) { return new AggregateQuery(aggregate, range, order, limit, c); }
}
