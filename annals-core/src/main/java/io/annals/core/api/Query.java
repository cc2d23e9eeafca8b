package io.annals.core.api;

import java.time.Instant;

/**
 * A query over all events, ordered by event time then id. {@code type} and {@code tag} may be null (no filter);
 * together they mean both. Read as a phrase: {@code Query.ofType("parcel.delivered").tag("urgent").limit(50)}.
 *
 * @param startOffset matches to skip before the first returned event (at most {@link #MAX_START_OFFSET}); ignored
 *                    when {@code after} is set, since the cursor already marks the place
 * @param after       continue strictly after this cursor (from a previous page), or null for the first page
 */
public record Query(String type, String tag, TimeRange range, Order order, int limit, int startOffset, Cursor after) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    public static final int MAX_START_OFFSET = 10_000;

    public Query {
        range = range == null ? TimeRange.all() : range;
        order = order == null ? Order.ASC : order;
        if (limit < 1 || limit > MAX_LIMIT)
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        if (startOffset < 0 || startOffset > MAX_START_OFFSET)
            throw new IllegalArgumentException("startOffset must be between 0 and " + MAX_START_OFFSET + ", not " + startOffset);
    }

    public static Query all() {
        return new Query(null, null, TimeRange.all(), Order.ASC, DEFAULT_LIMIT, 0, null);
    }

    public static Query ofType(String type) {
        return all().type(type);
    }

    public static Query ofTag(String tag) {
        return all().tag(tag);
    }

    public Query type(String t) { return new Query(t, tag, range, order, limit, startOffset, after); }
    public Query tag(String t) { return new Query(type, t, range, order, limit, startOffset, after); }
    public Query range(TimeRange r) { return new Query(type, tag, r, order, limit, startOffset, after); }
    public Query from(Instant start) { return range(new TimeRange(start, range.end())); }
    public Query until(Instant end) { return range(new TimeRange(range.start(), end)); }
    public Query order(Order o) { return new Query(type, tag, range, o, limit, startOffset, after); }
    public Query descending() { return order(Order.DESC); }
    public Query limit(int n) { return new Query(type, tag, range, order, n, startOffset, after); }
    public Query startOffset(int n) { return new Query(type, tag, range, order, limit, n, after); }
    public Query after(Cursor c) { return new Query(type, tag, range, order, limit, startOffset, c); }
}
