package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

/** Every statement the engine runs, prepared once per session, with its consistency level set. */
final class Statements {
    final CqlSession session;

    final PreparedStatement selectEvent;
    final PreparedStatement selectLogEvent;
    final PreparedStatement claimEvent;
    final PreparedStatement takeOverEvent;
    final PreparedStatement releaseEvent;
    final PreparedStatement insertEvent;
    final PreparedStatement selectHead;
    final PreparedStatement createHead;
    final PreparedStatement advanceHead;
    final PreparedStatement writeHead;
    final PreparedStatement dropHead;
    final PreparedStatement insertAggregate;
    final PreparedStatement insertType;
    final PreparedStatement insertTag;
    final PreparedStatement insertAll;
    final PreparedStatement insertBucket;
    final PreparedStatement insertLog;
    final PreparedStatement selectLogRow;
    final PreparedStatement readLog;
    final PreparedStatement lastLog;
    final PreparedStatement bucketsAsc;
    final PreparedStatement bucketsDesc;
    final PreparedStatement[] sliceAsc = new PreparedStatement[4];
    final PreparedStatement[] sliceDesc = new PreparedStatement[4];
    final PreparedStatement upsertWriter;
    final PreparedStatement selectWriters;
    final PreparedStatement deleteWriter;
    final PreparedStatement selectCheckpoint;
    final PreparedStatement putCheckpoint;
    final PreparedStatement deleteCheckpoint;
    final PreparedStatement checkpointsFrom;
    final PreparedStatement checkpointsAfter;

    /** Index of the slice statements: by aggregate, by type, by tag, of all events. */
    static final int AGG = 0, TYPE = 1, TAG = 2, ALL = 3;
    /** Rows per read of a checkpoint listing. */
    static final int CHECKPOINT_PAGE = 1000;

    private final String ks;
    private final ConsistencyLevel read;
    private final ConsistencyLevel write;
    private final ConsistencyLevel serial;

    Statements(CqlSession session, CassandraConfig config) {
        this.session = session;
        this.ks = config.keyspace() + ".";
        this.read = config.readConsistency();
        this.write = config.writeConsistency();
        this.serial = config.serialConsistency();

        selectEvent = read("SELECT position, data, writetime(data) AS written FROM events WHERE id = ?");
        claimEvent = lwt("INSERT INTO events (id, position, data) VALUES (?, ?, ?) IF NOT EXISTS USING TTL ?");
        takeOverEvent = lwt("UPDATE events USING TTL ? SET position = ?, data = ? WHERE id = ? IF position = ?");
        releaseEvent = lwt("DELETE FROM events WHERE id = ? IF position = ?");
        insertEvent = write("INSERT INTO events (id, position, data) VALUES (?, ?, ?) USING TTL ?");
        selectHead = read("SELECT version FROM stream_heads WHERE agg_type = ? AND agg_id = ?");
        createHead = lwt("INSERT INTO stream_heads (agg_type, agg_id, version) VALUES (?, ?, ?) IF NOT EXISTS");
        advanceHead = lwt("UPDATE stream_heads SET version = ? WHERE agg_type = ? AND agg_id = ? IF version = ?");
        writeHead = write("UPDATE stream_heads SET version = ? WHERE agg_type = ? AND agg_id = ?");
        dropHead = lwt("DELETE FROM stream_heads WHERE agg_type = ? AND agg_id = ? IF version = ?");
        insertAggregate = write("INSERT INTO aggregate_events (agg_type, agg_id, bucket, time, id, data) VALUES (?, ?, ?, ?, ?, ?) USING TTL ?");
        insertType = write("INSERT INTO events_by_type (type, bucket, time, id, data) VALUES (?, ?, ?, ?, ?) USING TTL ?");
        insertTag = write("INSERT INTO events_by_tag (tag, bucket, time, id, data) VALUES (?, ?, ?, ?, ?) USING TTL ?");
        insertAll = write("INSERT INTO events_by_time (bucket, time, id, data) VALUES (?, ?, ?, ?) USING TTL ?");
        insertBucket = write("INSERT INTO buckets (kind, key, bucket) VALUES (?, ?, ?)");
        insertLog = write("INSERT INTO log (bucket, ltime, id, writer, data) VALUES (?, ?, ?, ?, ?) USING TTL ?");
        selectLogEvent = read("SELECT data FROM log WHERE bucket = ? AND ltime = ? AND id = ?");
        selectLogRow = read("SELECT id FROM log WHERE bucket = ? AND ltime = ? AND id = ?");
        readLog = read("SELECT ltime, id, writer, data FROM log WHERE bucket = ? AND (ltime, id) > (?, ?) AND (ltime, id) < (?, ?)");
        lastLog = read("SELECT ltime, id FROM log WHERE bucket = ? AND (ltime, id) < (?, ?) ORDER BY ltime DESC, id DESC LIMIT 1");
        bucketsAsc = read("SELECT bucket FROM buckets WHERE kind = ? AND key = ? AND bucket >= ? AND bucket <= ?");
        bucketsDesc = read("SELECT bucket FROM buckets WHERE kind = ? AND key = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket DESC");
        String[] tables = {"aggregate_events WHERE agg_type = ? AND agg_id = ? AND bucket = ?",
                "events_by_type WHERE type = ? AND bucket = ?", "events_by_tag WHERE tag = ? AND bucket = ?",
                "events_by_time WHERE bucket = ?"};
        for (int i = 0; i < tables.length; i++) {
            String slice = "SELECT data FROM " + ks + tables[i] + " AND (time, id) >= (?, ?) AND (time, id) < (?, ?)";
            sliceAsc[i] = prepare(slice, read);
            sliceDesc[i] = prepare(slice + " ORDER BY time DESC, id DESC", read);
        }
        upsertWriter = write("INSERT INTO writers (writer, low, heartbeat) VALUES (?, ?, ?)");
        selectWriters = read("SELECT writer, low, heartbeat FROM writers");
        deleteWriter = write("DELETE FROM writers WHERE writer = ?");
        selectCheckpoint = read("SELECT position FROM checkpoints WHERE part = 0 AND name = ?");
        putCheckpoint = write("INSERT INTO checkpoints (part, name, position) VALUES (0, ?, ?)");
        deleteCheckpoint = write("DELETE FROM checkpoints WHERE part = 0 AND name = ?");
        checkpointsFrom = read("SELECT name, position FROM checkpoints WHERE part = 0 AND name >= ? LIMIT " + CHECKPOINT_PAGE);
        checkpointsAfter = read("SELECT name, position FROM checkpoints WHERE part = 0 AND name > ? LIMIT " + CHECKPOINT_PAGE);
    }

    private PreparedStatement read(String cql) {
        return prepare(qualify(cql), read);
    }

    /** A plain write: idempotent (the same values again change nothing), so the driver may retry it. */
    private PreparedStatement write(String cql) {
        return session.prepare(SimpleStatement.newInstance(qualify(cql)).setConsistencyLevel(write).setIdempotent(true));
    }

    private PreparedStatement lwt(String cql) {
        return session.prepare(SimpleStatement.newInstance(qualify(cql)).setConsistencyLevel(write).setSerialConsistencyLevel(serial));
    }

    private PreparedStatement prepare(String cql, ConsistencyLevel level) {
        return session.prepare(SimpleStatement.newInstance(cql).setConsistencyLevel(level));
    }

    /** Puts the keyspace before the first table name (after FROM, INTO, UPDATE). */
    private String qualify(String cql) {
        return cql.replaceFirst("(FROM|INTO|UPDATE) ", "$1 " + ks);
    }
}
