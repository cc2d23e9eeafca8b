package io.annals.store.rocksdb;

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
import io.annals.core.api.TimeRange;
import io.annals.core.api.codec.Times;
import io.annals.store.rocksdb.Store.Cf;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * Every read. Each runs on one RocksDB snapshot, so the bucket ranges, index rows and events it sees belong to
 * the same moment. A page is a walk of one key range {@code [lower, upper)} that the time range, the remembered
 * bucket range and the cursor narrow down; ascending reads walk it forwards, descending ones backwards.
 */
final class Reads {
    private final Store store;
    private final Rows rows;
    private final Clock clock;

    Reads(Store store, Rows rows, Clock clock) {
        this.store = store;
        this.rows = rows;
        this.clock = clock;
    }

    /** One read: a snapshot and the options that read at it, released together. */
    private final class View implements AutoCloseable {
        final Snapshot snapshot = store.db.getSnapshot();
        final ReadOptions options = new ReadOptions().setSnapshot(snapshot);
        final Instant now = clock.instant();
        final long nowMicros = Times.toMicros(now);

        byte[] get(Cf cf, byte[] key) throws RocksDBException {
            return store.db.get(store.cf(cf), options, key);
        }

        Event event(String id) throws RocksDBException {
            byte[] bytes = get(Cf.EVENTS, Keys.utf8(id));
            if (bytes == null) return null;
            Event e = EventCodec.decode(bytes);
            return e.isExpiredAt(now) ? null : e;
        }

        /** The live events of {@code rows} (keys ending with an id), in their order, read in one multi-get. */
        List<Event> events(List<byte[]> rows, int fixedLength) throws RocksDBException {
            if (rows.isEmpty()) return List.of(); // multiGetAsList refuses an empty list
            List<byte[]> ids = new ArrayList<>(rows.size());
            for (byte[] row : rows) ids.add(Arrays.copyOfRange(row, fixedLength, row.length));
            List<byte[]> values = store.db.multiGetAsList(options, Collections.nCopies(ids.size(), store.cf(Cf.EVENTS)), ids);
            List<Event> out = new ArrayList<>(values.size());
            for (byte[] bytes : values) {
                Event e = bytes == null ? null : EventCodec.decode(bytes);
                if (e != null && !e.isExpiredAt(now)) out.add(e);
            }
            return out;
        }

        @Override
        public void close() {
            options.close();
            store.db.releaseSnapshot(snapshot);
        }
    }

    Optional<Event> get(String id) {
        try (View v = new View()) {
            return Optional.ofNullable(v.event(id));
        } catch (RocksDBException e) {
            throw Store.unavailable("read event " + id, e);
        }
    }

    long streamVersion(AggregateId aggregate) {
        try (View v = new View()) {
            return head(v, aggregate);
        } catch (RocksDBException e) {
            throw Store.unavailable("read the stream version of " + aggregate, e);
        }
    }

    private static long head(View v, AggregateId aggregate) throws RocksDBException {
        byte[] bytes = v.get(Cf.STREAMS, Keys.stream(aggregate));
        return bytes == null ? 0 : Keys.getLong(bytes, 0);
    }

    AggregatePage readAggregate(AggregateQuery q) {
        try (View v = new View()) {
            byte[] prefix = Keys.stream(q.aggregate());
            Bounds b = new Bounds(prefix, Keys.prefixEnd(prefix));
            TimeRange r = q.range();
            if (r.start() != null) b.atLeast(Keys.concat(prefix, Keys.ordered(ceilMicros(r.start()))));
            if (r.end() != null) b.below(Keys.concat(prefix, Keys.ordered(ceilMicros(r.end()))));
            if (q.after() != null) b.after(Keys.timed(prefix, Times.toMicros(q.after().time()), q.after().id()), q.order());
            Page page = walk(v, Cf.HISTORY, b, prefix.length, null, q.order(), prefix.length + 8, q.limit(), 0);
            return new AggregatePage(page.events, page.next, head(v, q.aggregate()));
        } catch (RocksDBException e) {
            throw Store.unavailable("read the history of " + q.aggregate(), e);
        }
    }

    EventPage query(Query q) {
        try (View v = new View()) {
            byte[] walked = q.type() != null ? Keys.indexPrefix(Keys.BY_TYPE, q.type())
                    : q.tag() != null ? Keys.indexPrefix(Keys.BY_TAG, q.tag()) : Keys.indexPrefix(Keys.BY_TIME, "");
            BucketRange range = BucketRange.decode(v.get(Cf.BUCKETS, walked));
            byte[] joined = null;
            if (q.type() != null && q.tag() != null) {
                // both: the index with fewer rows leads, the other is joined to it, within the buckets both span
                byte[] tagKey = Keys.indexPrefix(Keys.BY_TAG, q.tag());
                BucketRange tags = BucketRange.decode(v.get(Cf.BUCKETS, tagKey));
                if (range == null || tags == null) return new EventPage(List.of(), null);
                joined = tagKey;
                if (tags.count() < range.count()) {
                    joined = walked;
                    walked = tagKey;
                }
                range = new BucketRange(Math.max(range.first(), tags.first()), Math.min(range.last(), tags.last()), 0);
            }
            if (range == null || range.first() > range.last()) return new EventPage(List.of(), null);
            Bounds b = new Bounds(Keys.concat(walked, Keys.ordered(range.first())),
                    Keys.concat(walked, Keys.ordered(range.last() + 1)));
            TimeRange r = q.range();
            if (r.start() != null) b.atLeast(timeKey(walked, ceilMicros(r.start())));
            if (r.end() != null) b.below(timeKey(walked, ceilMicros(r.end())));
            if (q.after() != null) {
                long micros = Times.toMicros(q.after().time());
                b.after(Keys.bucketed(walked, rows.bucketOf(micros), micros, q.after().id()), q.order());
            }
            int skip = q.after() == null ? q.startOffset() : 0;
            Page page = walk(v, Cf.INDEX, b, walked.length, joined, q.order(), walked.length + 16, q.limit(), skip);
            return new EventPage(page.events, page.next);
        } catch (RocksDBException e) {
            throw Store.unavailable("query events", e);
        }
    }

    private byte[] timeKey(byte[] prefix, long micros) {
        return Keys.bucketedBound(prefix, rows.bucketOf(micros), micros);
    }

    /** Microseconds since the epoch, rounded up (bounds are kept to the microsecond) and clamped to the key range. */
    static long ceilMicros(Instant t) {
        try {
            long floor = Times.toMicros(t);
            return t.getNano() % 1000 == 0 ? floor : Math.addExact(floor, 1);
        } catch (ArithmeticException e) {
            return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** A key range {@code [lower, upper)} being narrowed. */
    private static final class Bounds {
        byte[] lower;
        byte[] upper;

        Bounds(byte[] lower, byte[] upper) {
            this.lower = lower;
            this.upper = upper;
        }

        void atLeast(byte[] key) {
            lower = Keys.max(lower, key);
        }

        void below(byte[] key) {
            upper = Keys.min(upper, key);
        }

        /** Strictly past the cursor's key in the read's order. */
        void after(byte[] cursorKey, Order order) {
            if (order == Order.ASC) atLeast(Keys.successor(cursorKey));
            else below(cursorKey);
        }

        boolean isEmpty() {
            return Keys.compare(lower, upper) >= 0;
        }
    }

    private record Page(List<Event> events, Cursor next) {}

    /**
     * Walks rows whose keys end with an id after {@code fixedLength} bytes and whose values hold the expiry time,
     * skipping expired rows unopened, then {@code skip} rows, and returns the events of up to {@code limit} rows,
     * read at the end in one multi-get; it looks one row ahead to tell whether a next page exists.
     * With {@code joined}, only rows whose suffix (all after the first {@code prefixLength} bytes) is also found
     * under that prefix count: a zig-zag join of two indexes, each side seeking to the other's key, so long runs
     * of rows without a partner cost a seek, not a read of each event.
     */
    private Page walk(View v, Cf cf, Bounds b, int prefixLength, byte[] joined, Order order, int fixedLength, int limit,
                      int skip) throws RocksDBException {
        if (b.isEmpty()) return new Page(List.of(), null);
        boolean asc = order == Order.ASC;
        try (RowWalk rows = new RowWalk(store.db, store.cf(cf), v.snapshot, b.lower, b.upper, prefixLength, joined, asc)) {
            List<byte[]> taken = new ArrayList<>();
            boolean more = false;
            for (boolean found = rows.first(); found; found = rows.next()) {
                if (Rows.expired(rows.value(), v.nowMicros)) continue;
                if (skip > 0) {
                    skip--;
                } else if (taken.size() == limit) {
                    more = true;
                    break;
                } else {
                    taken.add(rows.key());
                }
            }
            rows.status();
            List<Event> events = v.events(taken, fixedLength);
            // the cursor is the last row's (time, id): right even if its event expired a moment ago
            byte[] last = taken.isEmpty() ? null : taken.get(taken.size() - 1);
            Cursor next = more ? new Cursor(Times.fromMicros(Keys.getOrdered(last, fixedLength - 8)),
                    Keys.idAt(last, fixedLength)) : null;
            return new Page(events, next);
        }
    }

    LogPage readLog(Position after, int limit) {
        long from = after.isStart() ? 0 : parse(after);
        try (View v = new View();
             Slice lower = new Slice(Keys.plain(from + 1));
             ReadOptions options = new ReadOptions().setSnapshot(v.snapshot).setIterateLowerBound(lower);
             RocksIterator it = store.db.newIterator(store.cf(Cf.LOG), options)) {
            List<Event> out = new ArrayList<>(Math.min(limit, 128));
            Position next = after;
            // expired entries are passed over but still move the position on; the walk is bounded all the same
            int budget = limit + 10_000;
            List<byte[]> ids = new ArrayList<>();
            List<Long> positions = new ArrayList<>();
            it.seekToFirst();
            while (it.isValid() && out.size() < limit && budget > 0) {
                // as many entries as the page still wants, their events read in one multi-get (catching up reads
                // whole pages: one get per event cost about half the read)
                ids.clear();
                positions.clear();
                for (int want = limit - out.size(); it.isValid() && ids.size() < want && budget-- > 0; it.next()) {
                    positions.add(Keys.getLong(it.key(), 0));
                    ids.add(it.value());
                }
                it.status();
                if (ids.isEmpty()) break;
                List<byte[]> values = store.db.multiGetAsList(v.options, Collections.nCopies(ids.size(), store.cf(Cf.EVENTS)), ids);
                for (int i = 0; i < values.size(); i++) {
                    byte[] bytes = values.get(i);
                    Event e = bytes == null ? null : EventCodec.decode(bytes);
                    if (e != null && !e.isExpiredAt(v.now) && Rows.position(e) == positions.get(i)) out.add(e);
                }
                next = Position.of(Long.toString(positions.get(positions.size() - 1)));
            }
            it.status();
            return new LogPage(out, next);
        } catch (RocksDBException e) {
            throw Store.unavailable("read the log", e);
        }
    }

    /** The position of the last log entry, or the start when the log is empty. */
    Position logEnd() {
        try (RocksIterator it = store.db.newIterator(store.cf(Cf.LOG))) {
            it.seekToLast();
            if (!it.isValid()) {
                it.status();
                return Position.start();
            }
            return Position.of(Long.toString(Keys.getLong(it.key(), 0)));
        } catch (RocksDBException e) {
            throw Store.unavailable("read the end of the log", e);
        }
    }

    private static long parse(Position p) {
        try {
            long n = Long.parseLong(p.value());
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + p.value() + "' is not a position of this store");
    }
}
