package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Cursor;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.LogPage;
import io.annals.core.api.Order;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The read path. A page walks the non-empty buckets of one key (from the {@code buckets} registry, in the read's
 * order, within the time range) and, in each, the clustering slice of (time, id) after the cursor; rows of expired
 * events and rows that fail the other filter are passed over. It reads one event past the limit to know whether
 * another page exists.
 */
final class Reader {
    private static final int REGISTRY_PAGE = 500;

    private final CassandraConfig config;
    private final Connection conn;
    private final Rows rows;
    private final LogClock logClock;

    Reader(CassandraConfig config, Connection conn, Rows rows, LogClock logClock) {
        this.config = config;
        this.conn = conn;
        this.rows = rows;
        this.logClock = logClock;
    }

    /**
     * An event of an id of the engine's shape ({@link Keys#engineId}) is read from its log row; any other, and one of
     * that shape not found there (a client chose it), from its {@code events} row.
     */
    Optional<Event> get(String id) {
        Statements s = conn.statements();
        long ltime = Keys.engineIdTime(id);
        if (ltime >= 0) {
            Row logged = execute(s.selectLogEvent.bind(Keys.bucket(ltime, config.logBucketMicros()), ltime, id)).one();
            if (logged != null) {
                Event e = Rows.decode(logged.getByteBuffer("data"));
                if (!rows.expired(e)) return Optional.of(e);
            }
        }
        Row row = execute(s.selectEvent.bind(id)).one();
        if (row == null) return Optional.empty();
        Event e = Rows.decode(row.getByteBuffer("data"));
        return rows.expired(e) ? Optional.empty() : Optional.of(e);
    }

    long streamVersion(AggregateId a) {
        Statements s = conn.statements();
        Row row = execute(s.selectHead.bind(a.type(), a.id())).one();
        return row == null ? 0 : row.getLong("version");
    }

    EventPage query(Query q) {
        Statements s = conn.statements();
        int index;
        String kind;
        String key;
        Predicate<Event> filter = e -> true;
        if (q.tag() != null) {
            index = Statements.TAG;
            kind = Keys.TAG;
            key = q.tag();
            if (q.type() != null) filter = e -> e.type().equals(q.type());
        } else if (q.type() != null) {
            index = Statements.TYPE;
            kind = Keys.TYPE;
            key = q.type();
        } else {
            index = Statements.ALL;
            kind = Keys.ALL;
            key = "";
        }
        Keys.Slice slice = Keys.slice(q.range(), q.order(), q.after());
        int skip = q.after() == null ? q.startOffset() : 0;
        Page page = page(s, index, kind, key, null, slice, q.order(), q.limit(), skip, filter, config.indexBucketMicros());
        return new EventPage(page.events, page.next);
    }

    AggregatePage readAggregate(AggregateQuery q) {
        Statements s = conn.statements();
        // the head is read beside the history (the version the page reports is read at about the same time)
        var head = s.session.executeAsync(s.selectHead.bind(q.aggregate().type(), q.aggregate().id())).toCompletableFuture();
        Keys.Slice slice = Keys.slice(q.range(), q.order(), q.after());
        Page page = page(s, Statements.AGG, Keys.AGGREGATE, Keys.aggregateKey(q.aggregate()), q.aggregate(), slice,
                q.order(), q.limit(), 0, e -> true, config.aggregateBucketMicros());
        Row row = Async.join(conn, List.of(head)).get(0).one();
        return new AggregatePage(page.events, page.next, row == null ? 0 : row.getLong("version"));
    }

    private record Page(List<Event> events, Cursor next) {}

    private Page page(Statements s, int index, String kind, String key, AggregateId aggregate, Keys.Slice slice,
                      Order order, int limit, int skip, Predicate<Event> filter, long bucketMicros) {
        List<Event> out = new ArrayList<>();
        if (slice.isEmpty()) return new Page(out, null);
        long firstBucket = Keys.bucket(slice.lowTime(), bucketMicros);
        long lastBucket = Keys.bucket(slice.highTime(), bucketMicros);
        PreparedStatement buckets = order == Order.ASC ? s.bucketsAsc : s.bucketsDesc;
        ResultSet registry = execute(buckets.bind(kind, key, firstBucket, lastBucket).setPageSize(REGISTRY_PAGE));
        int remainingSkip = skip;
        for (Row b : registry) {
            long bucket = b.getLong("bucket");
            PreparedStatement slicePs = order == Order.ASC ? s.sliceAsc[index] : s.sliceDesc[index];
            BoundStatement st = switch (index) {
                case Statements.AGG -> slicePs.bind(aggregate.type(), aggregate.id(), bucket,
                        slice.lowTime(), slice.lowId(), slice.highTime(), slice.highId());
                case Statements.ALL -> slicePs.bind(bucket, slice.lowTime(), slice.lowId(), slice.highTime(), slice.highId());
                default -> slicePs.bind(key, bucket, slice.lowTime(), slice.lowId(), slice.highTime(), slice.highId());
            };
            int want = limit + 1 - out.size() + remainingSkip;
            for (Row r : prefetching(st.setPageSize(Math.max(10, Math.min(want, 5000))))) {
                Event e = Rows.decode(r.getByteBuffer("data"));
                if (rows.expired(e) || !filter.test(e)) continue;
                if (remainingSkip > 0) {
                    remainingSkip--;
                    continue;
                }
                if (out.size() == limit) return new Page(out, Cursor.after(out.get(out.size() - 1)));
                out.add(e);
            }
        }
        return new Page(out, null);
    }

    LogPage readLog(Position after, int limit) {
        Statements s = conn.statements();
        Keys.LogKey from = after.isStart() ? new Keys.LogKey(-1, "") : Keys.parse(after);
        long watermark = logClock.watermark();
        List<Event> out = new ArrayList<>();
        Position next = after;
        if (from.ltime() >= watermark) return new LogPage(out, next);
        long bucketMicros = config.logBucketMicros();
        long firstBucket = after.isStart() ? Long.MIN_VALUE / 2 : Keys.bucket(from.ltime(), bucketMicros);
        ResultSet registry = execute(s.bucketsAsc.bind(Keys.LOG, "", firstBucket, Keys.bucket(watermark, bucketMicros))
                .setPageSize(REGISTRY_PAGE));
        long lastTime = from.ltime();
        String lastId = from.id();
        for (Row b : registry) {
            long bucket = b.getLong("bucket");
            int want = limit - out.size();
            for (Row r : prefetching(s.readLog.bind(bucket, lastTime, lastId, watermark + 1, "")
                    .setPageSize(Math.max(10, Math.min(want, 5000))))) {
                Event e = Rows.decode(r.getByteBuffer("data"));
                lastTime = r.getLong("ltime");
                lastId = r.getString("id");
                next = Keys.position(lastTime, lastId);
                if (!rows.expired(e)) out.add(e);
                if (out.size() == limit) return new LogPage(out, next);
            }
        }
        return new LogPage(out, next);
    }

    /**
     * The rows of a slice, page by page, asking for each next page as soon as the current one arrives, so that
     * Cassandra reads a page while this thread decodes the one before (a 10,000-event history is two pages).
     */
    private Iterable<Row> prefetching(BoundStatement st) {
        return () -> new Iterator<>() {
            private CompletionStage<AsyncResultSet> next = conn.statements().session.executeAsync(st);
            private Iterator<Row> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (next == null) return false;
                    AsyncResultSet page = Async.join(conn, List.of(next.toCompletableFuture())).get(0);
                    next = page.hasMorePages() ? page.fetchNextPage() : null;
                    current = page.currentPage().iterator();
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new java.util.NoSuchElementException();
                return current.next();
            }
        };
    }

    /** The last log entry readable now (at or before the watermark), or the start when there is none. */
    Position logEnd() {
        Statements s = conn.statements();
        long watermark = logClock.watermark();
        ResultSet registry = execute(s.bucketsDesc.bind(Keys.LOG, "", Long.MIN_VALUE / 2,
                Keys.bucket(watermark, config.logBucketMicros())).setPageSize(REGISTRY_PAGE));
        for (Row b : registry) {
            Row last = execute(s.lastLog.bind(b.getLong("bucket"), watermark + 1, "")).one();
            if (last != null) return Keys.position(last.getLong("ltime"), last.getString("id"));
        }
        return Position.start();
    }

    private ResultSet execute(BoundStatement st) {
        try {
            return conn.statements().session.execute(st);
        } catch (RuntimeException e) {
            throw conn.unavailable(e);
        }
    }
}
