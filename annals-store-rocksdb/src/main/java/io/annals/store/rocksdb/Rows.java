package io.annals.store.rocksdb;

import io.annals.core.api.Event;
import io.annals.core.api.codec.Times;
import io.annals.store.rocksdb.Store.Cf;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The rows one event owns in every column family except the stream heads and bucket ranges (which the writer
 * keeps): the event itself, its log entry, its history row, its index rows and its expiry row. Writing and
 * deleting go through here so that the two never disagree.
 */
final class Rows {
    private static final byte[] EMPTY = new byte[0];

    private final Store store;
    private final long bucketMicros;

    Rows(Store store, long bucketMicros) {
        this.store = store;
        this.bucketMicros = bucketMicros;
    }

    long bucketOf(long micros) {
        return Math.floorDiv(micros, bucketMicros);
    }

    /** The index prefixes (type, each distinct tag, all events) an event is listed under. */
    static List<byte[]> indexPrefixes(Event e) {
        List<byte[]> out = new ArrayList<>();
        out.add(Keys.indexPrefix(Keys.BY_TYPE, e.type()));
        for (String tag : new LinkedHashSet<>(e.tags())) out.add(Keys.indexPrefix(Keys.BY_TAG, tag));
        out.add(Keys.indexPrefix(Keys.BY_TIME, ""));
        return out;
    }

    /** The value of history and index rows: when the event expires (empty if never), so reads skip it unopened. */
    static byte[] expiryValue(Event e) {
        return e.expiresAt() == null ? EMPTY : Keys.ordered(Times.toMicros(e.expiresAt()));
    }

    /** True when an index or history row's value says its event has expired at {@code nowMicros}. */
    static boolean expired(byte[] value, long nowMicros) {
        return value.length == 8 && Keys.getOrdered(value, 0) <= nowMicros;
    }

    void put(WriteBatch batch, Event e) throws RocksDBException {
        byte[] id = Keys.utf8(e.id());
        long micros = Times.toMicros(e.time());
        long bucket = bucketOf(micros);
        byte[] expiry = expiryValue(e);
        batch.put(store.cf(Cf.EVENTS), id, EventCodec.encode(e));
        batch.put(store.cf(Cf.LOG), Keys.plain(position(e)), id);
        if (e.aggregate() != null)
            batch.put(store.cf(Cf.HISTORY), Keys.timed(Keys.stream(e.aggregate()), micros, e.id()), expiry);
        for (byte[] prefix : indexPrefixes(e))
            batch.put(store.cf(Cf.INDEX), Keys.bucketed(prefix, bucket, micros, e.id()), expiry);
        if (e.expiresAt() != null)
            batch.put(store.cf(Cf.EXPIRY), Keys.expiry(Times.toMicros(e.expiresAt()), e.id()), EMPTY);
    }

    void delete(WriteBatch batch, Event e) throws RocksDBException {
        long micros = Times.toMicros(e.time());
        long bucket = bucketOf(micros);
        batch.delete(store.cf(Cf.EVENTS), Keys.utf8(e.id()));
        batch.delete(store.cf(Cf.LOG), Keys.plain(position(e)));
        if (e.aggregate() != null)
            batch.delete(store.cf(Cf.HISTORY), Keys.timed(Keys.stream(e.aggregate()), micros, e.id()));
        for (byte[] prefix : indexPrefixes(e))
            batch.delete(store.cf(Cf.INDEX), Keys.bucketed(prefix, bucket, micros, e.id()));
        if (e.expiresAt() != null)
            batch.delete(store.cf(Cf.EXPIRY), Keys.expiry(Times.toMicros(e.expiresAt()), e.id()));
    }

    static long position(Event e) {
        return Long.parseLong(e.position().value());
    }
}
