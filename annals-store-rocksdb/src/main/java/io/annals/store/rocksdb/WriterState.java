package io.annals.store.rocksdb;

import io.annals.core.api.AggregateId;
import io.annals.store.rocksdb.Store.Cf;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rocksdb.RocksDBException;

/**
 * What the writer knows of the committed store: the last position, the event count, and caches of stream heads and
 * bucket ranges loaded lazily from RocksDB. Only the writer thread changes it, and only after a group's batch is
 * written, so a failed write leaves it as it was. {@link #count()} may be read from any thread.
 */
final class WriterState {
    private final Store store;
    private final Map<AggregateId, Long> heads;
    private final Map<ByteBuffer, BucketRange> ranges;
    private long lastPosition;
    private volatile long count;

    WriterState(Store store, int cacheSize) {
        this.store = store;
        this.heads = lru(cacheSize);
        this.ranges = lru(cacheSize);
        this.count = store.metaLong(Store.META_COUNT, 0);
        this.lastPosition = Math.max(store.metaLong(Store.META_LAST_POSITION, 0), lastLogPosition(store));
    }

    /** The meta key is written with every batch; the log is read too in case an older layout lacks it. */
    private static long lastLogPosition(Store store) {
        try (var it = store.db.newIterator(store.cf(Cf.LOG))) {
            it.seekToLast();
            return it.isValid() ? Keys.getLong(it.key(), 0) : 0;
        }
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    long lastPosition() {
        return lastPosition;
    }

    long count() {
        return count;
    }

    long head(AggregateId stream) throws RocksDBException {
        Long cached = heads.get(stream);
        if (cached != null) return cached;
        byte[] v = store.db.get(store.cf(Cf.STREAMS), Keys.stream(stream));
        long head = v == null ? 0 : Keys.getLong(v, 0);
        heads.put(stream, head);
        return head;
    }

    BucketRange range(ByteBuffer prefix) throws RocksDBException {
        BucketRange cached = ranges.get(prefix);
        if (cached != null) return cached;
        BucketRange stored = BucketRange.decode(store.db.get(store.cf(Cf.BUCKETS), prefix.array()));
        if (stored != null) ranges.put(prefix, stored);
        return stored;
    }

    /** Takes in what a group wrote, once its batch is durable. */
    void committed(Map<AggregateId, Long> newHeads, Map<ByteBuffer, BucketRange> newRanges, long newLastPosition,
                   long newCount) {
        heads.putAll(newHeads);
        ranges.putAll(newRanges);
        lastPosition = newLastPosition;
        count = newCount;
    }
}
