package io.annals.store.cassandra;

import io.annals.core.api.AggregateId;
import io.annals.core.api.Cursor;
import io.annals.core.api.Order;
import io.annals.core.api.Position;
import io.annals.core.api.TimeRange;
import io.annals.core.api.codec.Times;

/** Bucket numbers, registry keys, log positions and the clustering bounds of a read. */
final class Keys {
    static final String AGGREGATE = "agg";
    static final String TYPE = "type";
    static final String TAG = "tag";
    static final String ALL = "all";
    static final String LOG = "log";

    /** Below every event time (year 1 is -62135596800 s); ids are never empty, so ("", t) is below every row at t. */
    static final long MIN_TIME = Long.MIN_VALUE;
    static final long MAX_TIME = Long.MAX_VALUE;

    private Keys() {}

    static long bucket(long micros, long bucketMicros) {
        return Math.floorDiv(micros, bucketMicros);
    }

    /** The registry key of an aggregate: its type's length, so that no two aggregates share a key. */
    static String aggregateKey(AggregateId a) {
        return a.type().length() + ":" + a.type() + a.id();
    }

    /** A log position: the entry's log time (microseconds) and its event id. */
    static Position position(long ltime, String id) {
        return Position.of(ltime + ":" + id);
    }

    /**
     * The id the engine gives an event whose client supplied none: a UUIDv7 (RFC 9562) whose millisecond field and
     * 12-bit {@code rand_a} field hold its log time (the microseconds within the millisecond, section 6.2 method 3),
     * then 62 random bits. Its log row is found from the id alone, so such an event needs no {@code events} row; ids
     * of one process increase with their log times.
     */
    static String engineId(long ltime) {
        long msb = (Math.floorDiv(ltime, 1000) << 16) | 0x7000L | Math.floorMod(ltime, 1000);
        long lsb = (java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new java.util.UUID(msb, lsb).toString();
    }

    /**
     * The log time an id of {@link #engineId} shape names, or -1 for any other id. An id of that shape that a client
     * supplied names no log row of its own (or one of another event), so readers fall back to the {@code events} row.
     */
    static long engineIdTime(String id) {
        if (id.length() != 36 || id.charAt(14) != '7' || id.charAt(8) != '-' || id.charAt(13) != '-'
                || id.charAt(18) != '-' || id.charAt(23) != '-') return -1;
        long ms = 0, sub = 0;
        for (int i = 0; i < 18; i++) {
            if (i == 8 || i == 13 || i == 14) continue;
            int d = hex(id.charAt(i));
            if (d < 0) return -1;
            if (i < 13) ms = ms << 4 | d;
            else sub = sub << 4 | d;
        }
        for (int i = 19; i < 36; i++) {
            if (i != 23 && hex(id.charAt(i)) < 0) return -1;
        }
        if (sub >= 1000 || "89ab".indexOf(id.charAt(19)) < 0) return -1;
        return ms * 1000 + sub;
    }

    /** The value of a lower-case ASCII hex digit, or -1. */
    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    /** A parsed log position. */
    record LogKey(long ltime, String id) {}

    static LogKey parse(Position p) {
        String v = p.value();
        int colon = v.indexOf(':');
        if (colon > 0 && colon < v.length() - 1) {
            try {
                long ltime = Long.parseLong(v.substring(0, colon));
                if (ltime >= 0 && Character.isDigit(v.charAt(0))) return new LogKey(ltime, v.substring(colon + 1));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("'" + v + "' is not a position of this store");
    }

    /**
     * The half-open clustering slice {@code [low, high)} of (time, id) that a read covers: the time range, narrowed
     * by the cursor in the read's order. The smallest id above {@code c} is {@code c + "\0"} (UTF-8 bytes compared
     * unsigned, as Cassandra's text type does), and no id is empty, so {@code (t, "")} lies below every row at t.
     */
    record Slice(long lowTime, String lowId, long highTime, String highId) {
        boolean isEmpty() {
            return compare(lowTime, lowId, highTime, highId) >= 0;
        }
    }

    static int compare(long t1, String id1, long t2, String id2) {
        int c = Long.compare(t1, t2);
        return c != 0 ? c : io.annals.core.api.EventOrdering.compareIds(id1, id2);
    }

    static Slice slice(TimeRange range, Order order, Cursor after) {
        long lowTime = MIN_TIME;
        String lowId = "";
        if (range.start() != null) {
            lowTime = Times.toMicros(range.start());
            if (Times.fromMicros(lowTime).isBefore(range.start())) lowTime++; // a start inside a microsecond
        }
        long highTime = MAX_TIME;
        String highId = "";
        if (range.end() != null) {
            highTime = Times.toMicros(range.end());
            if (Times.fromMicros(highTime).isBefore(range.end())) highTime++; // events at the floor are before the end
        }
        if (after != null) {
            long ct = Times.toMicros(after.time());
            if (order == Order.ASC) {
                String id = after.id() + "\u0000";
                if (compare(ct, id, lowTime, lowId) > 0) {
                    lowTime = ct;
                    lowId = id;
                }
            } else if (compare(ct, after.id(), highTime, highId) < 0) {
                highTime = ct;
                highId = after.id();
            }
        }
        return new Slice(lowTime, lowId, highTime, highId);
    }
}
