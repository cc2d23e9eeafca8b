package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps acknowledged appends complete. Every {@code repair.interval} it (1) retries this process's appends whose
 * writes failed after their commit, (2) records in {@code writers} this process's heartbeat and the oldest log time
 * it may not have finished, and (3) looks for writers whose heartbeat stopped more than {@code writer.timeout} ago
 * (a crashed process): it writes again every row of their log entries from their mark on, then forgets them.
 */
final class Repairer {
    private static final Logger LOG = LoggerFactory.getLogger(Repairer.class);

    private final CassandraConfig config;
    private final Connection conn;
    private final Rows rows;
    private final Committer writer;
    private final Heads heads;
    private final LogClock logClock;
    private final UUID writerId;

    Repairer(CassandraConfig config, Connection conn, Rows rows, Committer writer, Heads heads, LogClock logClock, UUID writerId) {
        this.heads = heads;
        this.config = config;
        this.conn = conn;
        this.rows = rows;
        this.writer = writer;
        this.logClock = logClock;
        this.writerId = writerId;
    }

    /** One pass; failures are logged and the next pass tries again. */
    void runOnce() {
        if (conn.isClosed()) return;
        try {
            writer.retryUnfinished();
            Statements s = conn.statements();
            Async.all(conn, List.of(s.upsertWriter.bind(writerId, writer.low(), logClock.nowMicros())));
            repairDeadWriters(s);
        } catch (RuntimeException e) {
            if (!conn.isClosed()) LOG.debug("repair pass failed, next pass retries: {}", e.toString());
        }
    }

    /** On a clean close with nothing left to write, this process needs no repair. */
    void forgetSelf() {
        if (!writer.unfinished.isEmpty()) return;
        try {
            Statements s = conn.statements();
            Async.all(conn, List.of(s.deleteWriter.bind(writerId)));
        } catch (RuntimeException e) {
            // the row stays; another engine repairs from its mark (harmless: it rewrites rows that exist)
        }
    }

    void repairDeadWriters(Statements s) {
        long now = logClock.nowMicros();
        long timeout = config.writerTimeout().toNanos() / 1000;
        for (Row w : s.session.execute(s.selectWriters.bind())) {
            UUID dead = w.getUuid("writer");
            if (dead.equals(writerId) || now - w.getLong("heartbeat") < timeout) continue;
            long from = w.getLong("low");
            // the dead writer handed out no log time after its last heartbeat plus one interval and a request timeout
            long until = w.getLong("heartbeat") + (config.repairInterval().plus(config.requestTimeout()).toNanos() / 1000) * 2;
            int count = repairRange(s, dead, from, until);
            Async.all(conn, List.of(s.deleteWriter.bind(dead)));
            LOG.info("repaired {} log entries of writer {} (stopped without finishing)", count, dead);
        }
    }

    /** Writes again every row of the log entries {@code writer} wrote with log times in [from, until]. */
    private int repairRange(Statements s, UUID dead, long from, long until) {
        long bucketMicros = config.logBucketMicros();
        int count = 0;
        Map<AggregateId, Long> topVersions = new HashMap<>();
        List<Long> buckets = new ArrayList<>();
        for (Row b : s.session.execute(s.bucketsAsc.bind(Keys.LOG, "", Keys.bucket(from, bucketMicros), Keys.bucket(until, bucketMicros))))
            buckets.add(b.getLong("bucket"));
        for (long bucket : buckets) {
            List<BoundStatement> batch = new ArrayList<>();
            for (Row r : s.session.execute(s.readLog.bind(bucket, from - 1, "", until + 1, "").setPageSize(1000))) {
                if (!dead.equals(r.getUuid("writer"))) continue;
                Event e = Rows.decode(r.getByteBuffer("data"));
                java.nio.ByteBuffer data = r.getByteBuffer("data");
                if (Keys.engineIdTime(e.id()) != r.getLong("ltime")) batch.add(rows.eventRow(s, e, data));
                batch.addAll(rows.historyRows(s, e, data));
                batch.addAll(rows.indexRows(s, e, data));
                if (e.aggregate() != null) topVersions.merge(e.aggregate(), e.streamVersion(), Math::max);
                count++;
                if (batch.size() > 2000) {
                    Async.all(conn, batch);
                    batch.clear();
                }
            }
            Async.all(conn, batch);
        }
        for (Map.Entry<AggregateId, Long> h : topVersions.entrySet()) {
            AggregateId a = h.getKey();
            long current = heads.read(s, a);
            if (current >= h.getValue()) continue;
            BoundStatement st = config.headMode() != CassandraConfig.HeadMode.LWT ? s.writeHead.bind(h.getValue(), a.type(), a.id())
                    : current == 0 ? s.createHead.bind(a.type(), a.id(), h.getValue())
                    : s.advanceHead.bind(h.getValue(), a.type(), a.id(), current);
            Async.all(conn, List.of(st));
        }
        return count;
    }
}
