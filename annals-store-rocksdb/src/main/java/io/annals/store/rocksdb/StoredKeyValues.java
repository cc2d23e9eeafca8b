package io.annals.store.rocksdb;

import io.annals.core.api.KeyValues.Batch;
import io.annals.core.api.KeyValues.Entry;
import io.annals.store.rocksdb.Store.Cf;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The key-values, in column family {@code kv}. A key is {@code length(space) | space | key}: the space's UTF-8
 * length as two bytes big-endian, its UTF-8 bytes, then the key's UTF-8 bytes, so that spaces never collide and a
 * space is one contiguous range in code point order of its keys. A value is {@code expiresAt | bytes}: the expiry in
 * microseconds since the epoch (0: never) as 8 bytes big-endian, then the value.
 *
 * <p>An entry whose expiry has passed by the engine's clock is invisible to every read and counts as absent for
 * {@link #compareAndSet}. It is deleted lazily: when a get or scan meets it, or when it is overwritten, and by the
 * engine's sweep, which walks the column family a bounded chunk at a time ({@link #sweep}). Those deletes are
 * unsynced, since losing one only means deleting it again.
 *
 * <p>Writes bypass the group-commit writer (they touch no event row), one WriteBatch each, synced like appends.
 * Every write, and the lazy deletes, hold the striped locks of the keys they touch, so that compareAndSet (read,
 * compare, write under its key's lock) is linearizable, and a lazy delete never removes a newer value. The engine is
 * one process, so in-process locks suffice. The caller guards against close.
 */
final class StoredKeyValues {
    private static final int STRIPES = 64;
    /** What one {@link #sweep} reads at most: entries, and bytes of stored values. */
    static final int SWEEP_ENTRIES = 10_000;
    static final long SWEEP_BYTES = 64L << 20;

    private final Store store;
    private final WriteOptions writes;
    private final Clock clock;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    /** Where the next sweep starts (empty: at the beginning). Only the sweep touches it. */
    private byte[] sweepFrom = new byte[0];

    StoredKeyValues(Store store, WriteOptions writes, Clock clock) {
        this.store = store;
        this.writes = writes;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) locks[i] = new ReentrantLock();
    }

    Optional<byte[]> get(String space, String key) {
        byte[] k = key(space, key);
        byte[] stored;
        try {
            stored = store.db.get(cf(), k);
        } catch (RocksDBException e) {
            throw Store.unavailable("read key '" + key + "' of space '" + space + "'", e);
        }
        if (stored == null) return Optional.empty();
        if (isLive(stored, nowMicros())) return Optional.of(valueOf(stored));
        deleteExpired(List.of(new Stale(k, stored)));
        return Optional.empty();
    }

    List<Entry> scan(String space, String after, int limit) {
        byte[] prefix = prefix(space);
        byte[] upper = Keys.prefixEnd(prefix); // never null: UTF-8 has no 0xFF byte
        byte[] start = after.isEmpty() ? prefix : Keys.successor(Keys.concat(prefix, Keys.utf8(after)));
        long now = nowMicros();
        List<Entry> out = new ArrayList<>();
        List<Stale> expired = new ArrayList<>();
        try (Slice bound = new Slice(upper);
             ReadOptions options = new ReadOptions().setIterateUpperBound(bound);
             RocksIterator it = store.db.newIterator(cf(), options)) {
            for (it.seek(start); it.isValid() && out.size() < limit; it.next()) {
                byte[] k = it.key();
                byte[] stored = it.value();
                String key = new String(k, prefix.length, k.length - prefix.length, StandardCharsets.UTF_8);
                if (isLive(stored, now)) out.add(new Entry(key, valueOf(stored)));
                else expired.add(new Stale(k, stored));
            }
            it.status();
        } catch (RocksDBException e) {
            throw Store.unavailable("scan space '" + space + "'", e);
        }
        if (!expired.isEmpty()) deleteExpired(expired);
        return out;
    }

    void write(Batch batch) {
        long now = nowMicros();
        List<Integer> stripes = new ArrayList<>();
        try (WriteBatch wb = new WriteBatch()) {
            for (Batch.Op op : batch.ops()) {
                byte[] k = key(op.space(), op.key());
                stripes.add(stripe(k));
                if (op.isDelete()) wb.delete(cf(), k);
                else wb.put(cf(), k, stored(op.value(), expiresAt(now, op.ttl())));
            }
            locked(stripes, () -> store.db.write(writes, wb));
        } catch (RocksDBException e) {
            throw Store.unavailable("write " + batch.ops().size() + " key-value operations", e);
        }
    }

    boolean compareAndSet(String space, String key, byte[] expected, byte[] value, Duration ttl) {
        byte[] k = key(space, key);
        ReentrantLock lock = locks[stripe(k)];
        lock.lock();
        try {
            long now = nowMicros();
            byte[] stored = store.db.get(cf(), k);
            byte[] current = stored != null && isLive(stored, now) ? valueOf(stored) : null;
            if (expected == null ? current != null : current == null || !Arrays.equals(current, expected)) return false;
            if (value == null) store.db.delete(cf(), writes, k);
            else store.db.put(cf(), writes, k, stored(value, expiresAt(now, ttl)));
            return true;
        } catch (RocksDBException e) {
            throw Store.unavailable("compare-and-set key '" + key + "' of space '" + space + "'", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes the expired entries of the next chunk of the column family (at most {@link #SWEEP_ENTRIES} entries or
     * {@link #SWEEP_BYTES} of values), going on from where the last sweep stopped and starting over after the end, so
     * that every expired entry is deleted eventually, at a bounded cost per sweep. Returns how many it deleted.
     */
    synchronized int sweep() {
        long now = nowMicros();
        List<Stale> expired = new ArrayList<>();
        try (ReadOptions options = new ReadOptions().setFillCache(false);
             RocksIterator it = store.db.newIterator(cf(), options)) {
            int entries = 0;
            long bytes = 0;
            for (it.seek(sweepFrom); it.isValid() && entries < SWEEP_ENTRIES && bytes < SWEEP_BYTES; it.next()) {
                byte[] stored = it.value();
                entries++;
                bytes += stored.length;
                if (!isLive(stored, now)) expired.add(new Stale(it.key(), stored));
                sweepFrom = Keys.successor(it.key());
            }
            if (!it.isValid()) sweepFrom = new byte[0];
            it.status();
        } catch (RocksDBException e) {
            throw Store.unavailable("sweep expired key-values", e);
        }
        return expired.isEmpty() ? 0 : deleteExpired(expired);
    }

    /** An expired entry a read met: deleted if it is still the same bytes. */
    private record Stale(byte[] k, byte[] stored) {}

    private int deleteExpired(List<Stale> expired) {
        List<Integer> stripes = new ArrayList<>();
        for (Stale s : expired) stripes.add(stripe(s.k()));
        try (WriteBatch wb = new WriteBatch()) {
            locked(stripes, () -> {
                for (Stale s : expired) {
                    if (Arrays.equals(store.db.get(cf(), s.k()), s.stored())) wb.delete(cf(), s.k());
                }
                if (wb.count() > 0) store.db.write(store.unsyncedWrites, wb);
            });
            return wb.count();
        } catch (RocksDBException e) {
            throw Store.unavailable("delete " + expired.size() + " expired key-values", e);
        }
    }

    private interface RocksAction {
        void run() throws RocksDBException;
    }

    /** Runs {@code action} holding the locks of {@code stripes}, taken in ascending order so that writers never deadlock. */
    private void locked(List<Integer> stripes, RocksAction action) throws RocksDBException {
        TreeSet<Integer> ordered = new TreeSet<>(stripes);
        List<ReentrantLock> held = new ArrayList<>();
        try {
            for (int s : ordered) {
                locks[s].lock();
                held.add(locks[s]);
            }
            action.run();
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) held.get(i).unlock();
        }
    }

    private ColumnFamilyHandle cf() {
        return store.cf(Cf.KV);
    }

    private static int stripe(byte[] key) {
        return Math.floorMod(Arrays.hashCode(key), STRIPES);
    }

    static byte[] prefix(String space) {
        byte[] s = Keys.utf8(space);
        byte[] out = new byte[2 + s.length];
        out[0] = (byte) (s.length >>> 8);
        out[1] = (byte) s.length;
        System.arraycopy(s, 0, out, 2, s.length);
        return out;
    }

    static byte[] key(String space, String key) {
        return Keys.concat(prefix(space), Keys.utf8(key));
    }

    private static byte[] stored(byte[] value, long expiresAtMicros) {
        byte[] out = new byte[8 + value.length];
        Keys.putLong(out, 0, expiresAtMicros);
        System.arraycopy(value, 0, out, 8, value.length);
        return out;
    }

    private static byte[] valueOf(byte[] stored) {
        return Arrays.copyOfRange(stored, 8, stored.length);
    }

    private static boolean isLive(byte[] stored, long nowMicros) {
        long expires = Keys.getLong(stored, 0);
        return expires == 0 || nowMicros < expires;
    }

    /** The expiry of an entry written at {@code nowMicros}: the time to live rounded up to whole seconds; 0 for none. */
    static long expiresAt(long nowMicros, Duration ttl) {
        if (ttl == null) return 0;
        long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
        return nowMicros + seconds * 1_000_000L;
    }

    private long nowMicros() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
