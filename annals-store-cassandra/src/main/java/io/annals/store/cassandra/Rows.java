package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import io.annals.core.api.Event;
import io.annals.core.api.codec.Times;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows of one stored event, as bound statements: the event row, its aggregate history row, its index rows and
 * log row, and the bucket registry rows they need. Every row of an event with a TTL carries the time it has left.
 */
final class Rows {
    /** Cassandra refuses TTLs above 20 years; longer-lived events are kept without one (reads still filter them). */
    static final long MAX_TTL_SECONDS = 630_720_000L;
    private static final int MAX_KNOWN_BUCKETS = 200_000;

    private final CassandraConfig config;
    private final Clock ttlClock;
    /** Registry rows known to be written, so that each (kind, key, bucket) is written about once per process. */
    private final Map<Bucket, Boolean> knownBuckets = new ConcurrentHashMap<>();

    /** A registry row: a non-empty bucket of a key of a kind. */
    private record Bucket(String kind, String key, long bucket) {}

    Rows(CassandraConfig config, Clock ttlClock) {
        this.config = config;
        this.ttlClock = ttlClock;
    }

    static ByteBuffer encode(Event e) {
        return EventCodec.encode(e);
    }

    static Event decode(ByteBuffer data) {
        return EventCodec.decode(data);
    }

    /** Seconds the event has left (at least 1), or 0 for no TTL. */
    int ttlSeconds(Event e) {
        Instant expiry = e.expiresAt();
        if (expiry == null) return 0;
        long left = Duration.between(ttlClock.instant(), expiry).toSeconds() + 1;
        if (left > MAX_TTL_SECONDS) return 0;
        return (int) Math.max(1, left);
    }

    boolean expired(Event e) {
        return e.isExpiredAt(ttlClock.instant());
    }

    BoundStatement eventRow(Statements s, Event e, ByteBuffer data) {
        return s.insertEvent.bind(e.id(), e.position().value(), data, ttlSeconds(e));
    }

    BoundStatement logRow(Statements s, Event e, long ltime, UUID writer, ByteBuffer data) {
        return s.insertLog.bind(Keys.bucket(ltime, config.logBucketMicros()), ltime, e.id(), writer, data, ttlSeconds(e));
    }

    /** The registry row of the log bucket of {@code ltime}, or null when this process wrote it already. */
    BoundStatement logBucket(Statements s, long ltime) {
        return bucketRow(s, Keys.LOG, "", Keys.bucket(ltime, config.logBucketMicros()));
    }

    /** The aggregate history row and its registry row (when not known to be written). */
    List<BoundStatement> historyRows(Statements s, Event e, ByteBuffer data) {
        List<BoundStatement> out = new ArrayList<>(2);
        if (e.aggregate() == null) return out;
        long time = Times.toMicros(e.time());
        long bucket = Keys.bucket(time, config.aggregateBucketMicros());
        add(out, bucketRow(s, Keys.AGGREGATE, Keys.aggregateKey(e.aggregate()), bucket));
        out.add(s.insertAggregate.bind(e.aggregate().type(), e.aggregate().id(), bucket, time, e.id(), data, ttlSeconds(e)));
        return out;
    }

    /** The rows by type, by each tag and of all events, with their registry rows. */
    List<BoundStatement> indexRows(Statements s, Event e, ByteBuffer data) {
        List<BoundStatement> out = new ArrayList<>(4 + 2 * e.tags().size());
        long time = Times.toMicros(e.time());
        long bucket = Keys.bucket(time, config.indexBucketMicros());
        int ttl = ttlSeconds(e);
        add(out, bucketRow(s, Keys.TYPE, e.type(), bucket));
        out.add(s.insertType.bind(e.type(), bucket, time, e.id(), data, ttl));
        for (String tag : new java.util.LinkedHashSet<>(e.tags())) {
            add(out, bucketRow(s, Keys.TAG, tag, bucket));
            out.add(s.insertTag.bind(tag, bucket, time, e.id(), data, ttl));
        }
        add(out, bucketRow(s, Keys.ALL, "", bucket));
        out.add(s.insertAll.bind(bucket, time, e.id(), data, ttl));
        return out;
    }

    /**
     * The rows as few requests: rows that share a partition (same table, same partition key) go in unlogged
     * single-partition batches of at most {@value #ROWS_PER_BATCH} rows and about 1 MiB (Cassandra applies each as
     * one mutation); a row alone in its partition stays a plain statement.
     */
    static List<com.datastax.oss.driver.api.core.cql.Statement<?>> byPartition(List<BoundStatement> rows) {
        Map<Object, List<BoundStatement>> groups = new java.util.LinkedHashMap<>();
        for (BoundStatement r : rows) {
            Object group = r.getRoutingKey() == null ? new Object() : partition(r);
            groups.computeIfAbsent(group, g -> new ArrayList<>(2)).add(r);
        }
        List<com.datastax.oss.driver.api.core.cql.Statement<?>> out = new ArrayList<>(groups.size());
        for (List<BoundStatement> g : groups.values()) {
            if (g.size() == 1) {
                out.add(g.get(0));
                continue;
            }
            int from = 0;
            long bytes = 0;
            for (int i = 0; i < g.size(); i++) {
                long size = size(g.get(i));
                if (i > from && (i - from == ROWS_PER_BATCH || bytes + size > BYTES_PER_BATCH)) {
                    out.add(batchOrSingle(g.subList(from, i)));
                    from = i;
                    bytes = 0;
                }
                bytes += size;
            }
            out.add(batchOrSingle(g.subList(from, g.size())));
        }
        return out;
    }

    /** Rows of one partition written together at most: one mutation, well below Cassandra's limit (half a commit log segment). */
    private static final long BYTES_PER_BATCH = 1 << 20;

    private static long size(BoundStatement row) {
        long size = 0;
        for (ByteBuffer v : row.getValues()) if (v != null) size += v.remaining();
        return size;
    }

    private static com.datastax.oss.driver.api.core.cql.Statement<?> batchOrSingle(List<BoundStatement> rows) {
        return rows.size() == 1 ? rows.get(0) : onePartition(rows);
    }

    /** A table (by the statement that writes it) and a partition key. */
    private record Partition(String query, ByteBuffer key) {}

    private static Partition partition(BoundStatement row) {
        return new Partition(row.getPreparedStatement().getQuery(), row.getRoutingKey());
    }

    private static final int ROWS_PER_BATCH = 100;

    /** An unlogged batch of rows that share one partition: atomic and isolated in Cassandra. */
    static BatchStatement onePartition(List<BoundStatement> rows) {
        return unlogged(rows);
    }

    /**
     * An unlogged batch, at the consistency level of its rows (a batch does not take its statements' levels: left
     * unset it would run at the driver's default, the read level).
     */
    private static BatchStatement unlogged(List<BoundStatement> rows) {
        BatchStatementBuilder b = BatchStatement.builder(BatchType.UNLOGGED);
        boolean idempotent = true;
        for (BoundStatement r : rows) {
            b.addStatement(r);
            idempotent &= Boolean.TRUE.equals(r.isIdempotent());
        }
        return b.setIdempotence(idempotent).setConsistencyLevel(rows.get(0).getConsistencyLevel()).build();
    }

    /**
     * The rows an apply writes for one event: {@code own} in partitions no other row of the apply writes (its event
     * row, its stream head), {@code shared} in partitions that others may write too (history and index rows).
     */
    record EventRows(List<BoundStatement> own, List<BoundStatement> shared) {
        EventRows() {
            this(new ArrayList<>(3), new ArrayList<>(4));
        }
    }

    /**
     * The requests that write the rows of an apply, as few as Cassandra handles well. The rows of a partition that
     * several rows of the apply share go as one single-partition batch ({@link #byPartition}), atomic and the
     * cheapest way to write them; every other row of an event (its stream head, and the history and index rows no
     * other row of the apply shares a partition with) travels with the event's other such rows, and with those of
     * the events next to it in the apply while they fit, as one small unlogged batch: one request instead of several.
     * Like separate writes it is not atomic across partitions, and each row is an idempotent upsert. It holds at most
     * {@value #EVENT_BATCH_BYTES} bytes of values and {@value #EVENT_BATCH_PARTITIONS} partitions (Cassandra warns
     * above 5 KiB and 10 partitions and refuses batches across partitions above 50 KiB by default); a larger event's
     * rows go one by one. {@code rest} (conditional writes among them) goes by partition.
     */
    static List<com.datastax.oss.driver.api.core.cql.Statement<?>> requests(List<EventRows> events, List<BoundStatement> rest) {
        Map<Partition, Integer> rowsPerPartition = new java.util.HashMap<>();
        for (EventRows e : events) for (BoundStatement r : e.shared()) rowsPerPartition.merge(partition(r), 1, Integer::sum);
        List<com.datastax.oss.driver.api.core.cql.Statement<?>> out = new ArrayList<>(events.size() + rest.size());
        List<BoundStatement> grouped = new ArrayList<>(rest);
        List<BoundStatement> batch = new ArrayList<>(EVENT_BATCH_PARTITIONS);
        long batchBytes = 0;
        for (EventRows e : events) {
            List<BoundStatement> mine = new ArrayList<>(e.own());
            for (BoundStatement r : e.shared()) (rowsPerPartition.get(partition(r)) == 1 ? mine : grouped).add(r);
            long bytes = 0;
            for (BoundStatement r : mine) bytes += size(r);
            if (bytes > EVENT_BATCH_BYTES || mine.size() > EVENT_BATCH_PARTITIONS) {
                out.addAll(mine);
                continue;
            }
            if (batch.size() + mine.size() > EVENT_BATCH_PARTITIONS || batchBytes + bytes > EVENT_BATCH_BYTES) {
                out.add(batchOrSingle(batch)); // the batch statement keeps its own list of the rows
                batch.clear();
                batchBytes = 0;
            }
            batch.addAll(mine);
            batchBytes += bytes;
        }
        if (!batch.isEmpty()) out.add(batchOrSingle(batch));
        out.addAll(byPartition(grouped));
        return out;
    }

    /** The most partitions in the batch of events' own rows. */
    static final int EVENT_BATCH_PARTITIONS = 10;

    /** The most bytes of values in the batch of events' own rows. */
    static final int EVENT_BATCH_BYTES = 4096;

    private static final com.datastax.oss.driver.api.core.CqlIdentifier BUCKETS = com.datastax.oss.driver.api.core.CqlIdentifier.fromInternal("buckets");

    /** True for a row of the bucket registry. */
    static boolean isRegistry(BoundStatement row) {
        var variables = row.getPreparedStatement().getVariableDefinitions();
        return variables.size() > 0 && BUCKETS.equals(variables.get(0).getTable());
    }

    private BoundStatement bucketRow(Statements s, String kind, String key, long bucket) {
        if (knownBuckets.containsKey(new Bucket(kind, key, bucket))) return null;
        return s.insertBucket.bind(kind, key, bucket);
    }

    /** Remembers that the registry rows among {@code written} are stored. */
    void written(List<BoundStatement> written) {
        if (knownBuckets.size() > MAX_KNOWN_BUCKETS) knownBuckets.clear();
        for (BoundStatement b : written) {
            if (isRegistry(b)) {
                knownBuckets.put(new Bucket(b.getString(0), b.getString(1), b.getLong(2)), Boolean.TRUE);
            }
        }
    }

    private static void add(List<BoundStatement> out, BoundStatement b) {
        if (b != null) out.add(b);
    }
}
