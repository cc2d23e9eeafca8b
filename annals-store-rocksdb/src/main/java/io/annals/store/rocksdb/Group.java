package io.annals.store.rocksdb;

import io.annals.core.api.AggregateId;
import io.annals.core.api.Appended;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.Event;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.Position;
import io.annals.core.api.WrongExpectedVersionException;
import io.annals.core.api.codec.Times;
import io.annals.core.spi.PendingEvent;
import io.annals.store.rocksdb.Store.Cf;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One group commit in the making: a WriteBatch plus what it will change (new events by id, stream heads, bucket
 * ranges, position and count), which later appends of the same group see as if it were stored already. Each append
 * is first checked without changing anything ({@link #plan}), so a refused append leaves no trace in the group.
 * Used by the writer thread only.
 */
final class Group implements AutoCloseable {
    private final Store store;
    private final WriterState state;
    private final Rows rows;
    private final Instant now;
    private final WriteBatch batch = new WriteBatch();
    private final Map<String, Event> placed = new HashMap<>();
    private final Map<AggregateId, Long> heads = new HashMap<>();
    private final Map<ByteBuffer, BucketRange> ranges = new HashMap<>();
    private long lastPosition;
    private long count;

    Group(Store store, WriterState state, Rows rows, Instant now) {
        this.store = store;
        this.state = state;
        this.rows = rows;
        this.now = now;
        this.lastPosition = state.lastPosition();
        this.count = state.count();
    }

    private record Plan(List<Appended> results, List<Event> toPlace, List<Event> toRemove) {}

    /** Checks one append against the store and this group, and adds it to the batch; throws if it is refused. */
    List<Appended> add(List<PendingEvent> events, ExpectedVersion expected) throws RocksDBException {
        Plan plan = plan(events, expected);
        for (Event old : plan.toRemove) remove(old);
        for (Event e : plan.toPlace) place(e);
        return plan.results;
    }

    /**
     * Dedupes by id first, then checks the expected version (only if something new is left to write, so that a
     * retry of an append that was stored answers duplicates although its expected version is stale by now), then
     * numbers the new events.
     */
    private Plan plan(List<PendingEvent> events, ExpectedVersion expected) throws RocksDBException {
        Appended[] results = new Appended[events.size()];
        List<Event> toRemove = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        boolean anyNew = false;
        for (int i = 0; i < events.size(); i++) {
            PendingEvent p = events.get(i);
            Event e = p.event();
            if (!ids.add(e.id())) throw new InvalidEventException("id '" + e.id() + "' appears twice in one append");
            Event stored = p.clientId() ? lookup(e.id()) : null;
            if (stored != null && stored.isExpiredAt(now)) {
                toRemove.add(stored); // an expired event is gone: its id may be used again
                stored = null;
            }
            if (stored == null) {
                anyNew = true;
            } else if (!stored.sameContentAs(e, p.clientTime())) {
                throw new DuplicateIdConflictException(stored.id());
            } else {
                results[i] = new Appended(stored.id(), stored.position(), stored.streamVersion(), true);
            }
        }
        AggregateId stream = events.get(0).event().aggregate();
        if (anyNew && !(expected instanceof ExpectedVersion.Any)) {
            long actual = stream == null ? 0 : head(stream);
            if (!expected.matches(actual)) throw new WrongExpectedVersionException(stream, expected, actual);
        }
        List<Event> toPlace = new ArrayList<>();
        Map<AggregateId, Long> myHeads = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (results[i] != null) continue;
            Event e = events.get(i).event();
            long version = 0;
            if (e.aggregate() != null) {
                Long mine = myHeads.get(e.aggregate());
                version = (mine != null ? mine : head(e.aggregate())) + 1;
                myHeads.put(e.aggregate(), version);
            }
            Event at = e.at(Position.of(Long.toString(lastPosition + toPlace.size() + 1)), version);
            toPlace.add(at);
            results[i] = new Appended(at.id(), at.position(), version, false);
        }
        return new Plan(List.of(results), toPlace, toRemove);
    }

    private Event lookup(String id) throws RocksDBException {
        Event inGroup = placed.get(id);
        if (inGroup != null) return inGroup;
        byte[] bytes = store.db.get(store.cf(Cf.EVENTS), Keys.utf8(id));
        return bytes == null ? null : EventCodec.decode(bytes);
    }

    private long head(AggregateId stream) throws RocksDBException {
        Long inGroup = heads.get(stream);
        return inGroup != null ? inGroup : state.head(stream);
    }

    private BucketRange range(ByteBuffer prefix) throws RocksDBException {
        BucketRange inGroup = ranges.get(prefix);
        return inGroup != null ? inGroup : state.range(prefix);
    }

    private void place(Event e) throws RocksDBException {
        rows.put(batch, e);
        placed.put(e.id(), e);
        lastPosition = Rows.position(e);
        count++;
        if (e.aggregate() != null) heads.put(e.aggregate(), e.streamVersion());
        long bucket = rows.bucketOf(Times.toMicros(e.time()));
        for (byte[] prefix : Rows.indexPrefixes(e)) {
            ByteBuffer key = ByteBuffer.wrap(prefix);
            BucketRange r = range(key);
            ranges.put(key, r == null ? BucketRange.of(bucket) : r.with(bucket));
        }
    }

    private void remove(Event e) throws RocksDBException {
        rows.delete(batch, e);
        placed.remove(e.id());
        count--;
        for (byte[] prefix : Rows.indexPrefixes(e)) {
            ByteBuffer key = ByteBuffer.wrap(prefix);
            BucketRange r = range(key);
            if (r != null) ranges.put(key, r.less());
        }
    }

    record Swept(int removed, boolean more) {}

    /** Adds the deletion of up to {@code max} expired events (and every row of theirs) to the batch. */
    Swept sweep(int max) throws RocksDBException {
        long nowMicros = Times.toMicros(now);
        int removed = 0;
        try (Slice upper = new Slice(Keys.ordered(nowMicros + 1));
             ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
             RocksIterator it = store.db.newIterator(store.cf(Cf.EXPIRY), options)) {
            for (it.seekToFirst(); it.isValid() && removed < max; it.next()) {
                byte[] key = it.key();
                long expiresAt = Keys.getOrdered(key, 0);
                Event stored = lookup(Keys.idAt(key, 8));
                if (stored == null || stored.expiresAt() == null || Times.toMicros(stored.expiresAt()) != expiresAt) {
                    batch.delete(store.cf(Cf.EXPIRY), key); // the event was removed or replaced: a stale row
                } else if (stored.isExpiredAt(now)) {
                    remove(stored);
                    removed++;
                }
            }
            it.status();
            return new Swept(removed, it.isValid());
        }
    }

    /** Writes the batch with the group's heads, ranges and counters, then tells the writer state. */
    void commit(WriteOptions options) throws RocksDBException {
        // nothing to write (every append a duplicate, or nothing to sweep): what they point at is durable already
        if (batch.count() == 0) return;
        for (Map.Entry<AggregateId, Long> h : heads.entrySet())
            batch.put(store.cf(Cf.STREAMS), Keys.stream(h.getKey()), Keys.plain(h.getValue()));
        for (Map.Entry<ByteBuffer, BucketRange> r : ranges.entrySet())
            batch.put(store.cf(Cf.BUCKETS), r.getKey().array(), r.getValue().encode());
        batch.put(store.cf(Cf.META), Store.META_COUNT, Keys.plain(count));
        batch.put(store.cf(Cf.META), Store.META_LAST_POSITION, Keys.plain(lastPosition));
        store.db.write(options, batch);
        state.committed(heads, ranges, lastPosition, count);
    }

    @Override
    public void close() {
        batch.close();
    }
}
