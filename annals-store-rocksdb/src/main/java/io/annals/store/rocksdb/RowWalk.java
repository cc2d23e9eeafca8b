package io.annals.store.rocksdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * The rows of one key range at a snapshot, in the read's order; optionally only the rows whose suffix (all after
 * the prefix) a second prefix also holds. That is a zig-zag join: two iterators, each seeking to the other's
 * suffix when it is behind, so a long run of rows without a partner costs one seek.
 */
final class RowWalk implements AutoCloseable {
    private final boolean asc;
    private final int prefixLength;
    private final byte[] leadPrefix;
    private final byte[] joinedPrefix;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final RocksIterator lead;
    private final RocksIterator other;

    /**
     * @param lower        the first key of the range (inclusive); its first {@code prefixLength} bytes are the prefix
     * @param upper        the end of the range (exclusive), with the same prefix
     * @param joined       another prefix whose rows with the same suffix a row needs, or null for every row
     */
    RowWalk(RocksDB db, ColumnFamilyHandle cf, Snapshot snapshot, byte[] lower, byte[] upper, int prefixLength,
            byte[] joined, boolean asc) {
        this.asc = asc;
        this.prefixLength = prefixLength;
        this.leadPrefix = Arrays.copyOf(lower, prefixLength);
        this.joinedPrefix = joined;
        this.lead = iterator(db, cf, snapshot, lower, upper);
        this.other = joined == null ? null
                : iterator(db, cf, snapshot, Keys.concat(joined, suffix(lower)), Keys.concat(joined, suffix(upper)));
    }

    private RocksIterator iterator(RocksDB db, ColumnFamilyHandle cf, Snapshot snapshot, byte[] lower, byte[] upper) {
        Slice lo = own(new Slice(lower));
        Slice hi = own(new Slice(upper));
        ReadOptions options = own(new ReadOptions().setSnapshot(snapshot).setIterateLowerBound(lo)
                .setIterateUpperBound(hi));
        return own(db.newIterator(cf, options));
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    private byte[] suffix(byte[] key) {
        return Arrays.copyOfRange(key, prefixLength, key.length);
    }

    boolean first() {
        start(lead);
        if (other != null) start(other);
        return align();
    }

    boolean next() {
        step(lead);
        if (other != null) step(other);
        return align();
    }

    /** Moves both sides until they stand on the same suffix; false when either runs out. */
    private boolean align() {
        if (other == null) return lead.isValid();
        while (lead.isValid() && other.isValid()) {
            byte[] l = lead.key();
            byte[] o = other.key();
            int c = Arrays.compareUnsigned(l, prefixLength, l.length, o, joinedPrefix.length, o.length);
            if (c == 0) return true;
            if (asc == c < 0) seek(lead, Keys.concat(leadPrefix, Arrays.copyOfRange(o, joinedPrefix.length, o.length)));
            else seek(other, Keys.concat(joinedPrefix, suffix(l)));
        }
        return false;
    }

    private void step(RocksIterator it) {
        if (asc) it.next();
        else it.prev();
    }

    private void start(RocksIterator it) {
        if (asc) it.seekToFirst();
        else it.seekToLast();
    }

    private void seek(RocksIterator it, byte[] key) {
        if (asc) it.seek(key);
        else it.seekForPrev(key);
    }

    byte[] key() {
        return lead.key();
    }

    byte[] value() {
        return lead.value();
    }

    void status() throws RocksDBException {
        lead.status();
        if (other != null) other.status();
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // native handles do not fail to close
            }
        }
    }
}
