package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The second half of an append, once every refusal is ruled out: the commit (the log rows, one unlogged batch in
 * one log partition, atomic and isolated) and the apply (event, history, head and index rows). From the commit on
 * an append is complete or will be: a failed append stays in {@link #unfinished} and the repairer runs
 * {@link #complete} again (every write is idempotent), and the {@code writers} row this class registers lets
 * another engine finish the work of a process that died.
 */
final class Committer {
    private final CassandraConfig config;
    private final Connection conn;
    private final Rows rows;
    private final LogClock logClock;
    private final UUID writerId;
    private final Heads heads;
    /** Appends past their commit decision whose rows are not all written yet, by first log time. */
    final ConcurrentSkipListMap<Long, Plan> unfinished = new ConcurrentSkipListMap<>();
    private volatile boolean dropAsyncIndexWrites;
    private volatile boolean registered;

    Committer(CassandraConfig config, Connection conn, Rows rows, LogClock logClock, UUID writerId, Heads heads) {
        this.config = config;
        this.conn = conn;
        this.rows = rows;
        this.logClock = logClock;
        this.writerId = writerId;
        this.heads = heads;
    }

    /** One event as it will be stored, with its log time and how its event row is written. */
    record Placed(Event event, long ltime, ByteBuffer data, boolean claim, String takeOverFrom) {}

    /** An append whose rows are being written; {@code committed} once its log rows are stored. */
    static final class Plan {
        final long base;
        final List<Placed> placed;
        final Map<AggregateId, Long> newHeads;
        volatile boolean committed;
        volatile boolean applied;
        /** Set when a write of this plan failed: the repairer takes it over. */
        volatile boolean retry;

        Plan(long base, List<Placed> placed, Map<AggregateId, Long> newHeads) {
            this.base = base;
            this.placed = placed;
            this.newHeads = newHeads;
        }
    }

    /** Commits and applies a new plan; on failure it stays unfinished for the repairer. */
    void commit(Statements s, Plan plan) {
        unfinished.put(plan.base, plan);
        try {
            complete(s, plan, true);
        } catch (RuntimeException e) {
            plan.retry = true;
            throw conn.unavailable(e);
        }
    }

    /** True when this process is writing the append that holds {@code e} (its log row may be on its way). */
    boolean isOurs(Event e) {
        Keys.LogKey key = Keys.parse(e.position());
        Map.Entry<Long, Plan> p = unfinished.floorEntry(key.ltime());
        return p != null && key.ltime() < p.getKey() + p.getValue().placed.size();
    }

    /**
     * Writes what {@code plan} still lacks: the log rows (the commit), then event, history and head rows, then the
     * index rows (waited for in sync mode, in the background in async mode). Idempotent: retries run it again.
     */
    void complete(Statements s, Plan plan, boolean firstTry) {
        if (!plan.committed) {
            BoundStatement bucket = rows.logBucket(s, plan.base);
            if (bucket != null) {
                Async.all(conn, List.of(bucket));
                rows.written(List.of(bucket));
            }
            List<BoundStatement> logRows = new ArrayList<>(plan.placed.size());
            for (Placed p : plan.placed) logRows.add(rows.logRow(s, p.event(), p.ltime(), writerId, p.data()));
            List<com.datastax.oss.driver.api.core.cql.Statement<?>> batches = new ArrayList<>();
            for (List<BoundStatement> chunk : chunks(logRows, plan.placed)) batches.add(Rows.onePartition(chunk));
            Async.all(conn, batches);
            plan.committed = true;
            logClock.release(plan.base);
        }
        if (!plan.applied) {
            List<BoundStatement> now = new ArrayList<>();
            for (Placed p : plan.placed) {
                if (!firstTry || (!p.claim() && p.takeOverFrom() == null)) now.add(rows.eventRow(s, p.event(), p.data()));
                now.addAll(rows.historyRows(s, p.event(), p.data()));
            }
            if (config.localHeads() || !firstTry) now.addAll(headWrites(s, plan, firstTry));
            List<BoundStatement> later = new ArrayList<>();
            for (Placed p : plan.placed) (config.asyncIndexes() ? later : now).addAll(rows.indexRows(s, p.event(), p.data()));
            Async.all(conn, Rows.byPartition(now));
            rows.written(now);
            plan.applied = true;
            if (later.isEmpty()) {
                unfinished.remove(plan.base);
                return;
            }
            if (dropAsyncIndexWrites) return; // a test stands in for a crash right after the acknowledgement
            Async.allAsync(conn, Rows.byPartition(later)).whenComplete((ok, failure) -> {
                if (failure == null) {
                    rows.written(later);
                    unfinished.remove(plan.base);
                } else {
                    plan.retry = true; // the repairer writes the index rows again
                }
            });
            return;
        }
        // a retry of an applied plan whose async index writes failed
        List<BoundStatement> index = new ArrayList<>();
        for (Placed p : plan.placed) index.addAll(rows.indexRows(s, p.event(), p.data()));
        Async.all(conn, Rows.byPartition(index));
        rows.written(index);
        unfinished.remove(plan.base);
    }

    /**
     * Head rows written without a condition: in local mode always; in lwt mode only when a retry or a repair
     * finishes an append, and then only to move a head forward, never back.
     */
    private List<BoundStatement> headWrites(Statements s, Plan plan, boolean firstTry) {
        List<BoundStatement> out = new ArrayList<>();
        for (Map.Entry<AggregateId, Long> h : plan.newHeads.entrySet()) {
            AggregateId a = h.getKey();
            if (config.localHeads()) {
                // the cache holds this head's newest version (never below this plan's)
                out.add(s.writeHead.bind(Math.max(h.getValue(), heads.cachedOrZero(a)), a.type(), a.id()));
                continue;
            }
            if (firstTry) continue;
            long current = heads.read(s, a);
            if (current < h.getValue()) {
                out.add(current == 0 ? s.createHead.bind(a.type(), a.id(), h.getValue())
                        : s.advanceHead.bind(h.getValue(), a.type(), a.id(), current));
            }
        }
        return out;
    }

    /** Log rows in batches of at most ~4 MB (a mutation must stay well below Cassandra's commit log segment). */
    private static List<List<BoundStatement>> chunks(List<BoundStatement> rows, List<Placed> placed) {
        List<List<BoundStatement>> out = new ArrayList<>();
        List<BoundStatement> current = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < rows.size(); i++) {
            int size = placed.get(i).data().remaining() + 64;
            if (!current.isEmpty() && bytes + size > 4_000_000) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(rows.get(i));
            bytes += size;
        }
        if (!current.isEmpty()) out.add(current);
        return out;
    }

    /** Retries every unfinished append of this process, oldest first; stops at the first failure. */
    void retryUnfinished() {
        for (Plan plan : unfinished.values()) {
            if (conn.isClosed()) return;
            if (!plan.retry) continue; // still being written by its appender
            Statements s = conn.statements();
            complete(s, plan, false);
        }
    }

    /**
     * Records this writer in {@code writers} before its first append, so that a crash at any time after it is
     * repaired by another engine; the repairer keeps the row's heartbeat and mark fresh from then on.
     */
    synchronized void register(Statements s) {
        if (registered) return;
        Async.all(conn, List.of(s.upsertWriter.bind(writerId, low(), logClock.nowMicros())));
        registered = true;
    }

    /** The oldest log time this process may not have finished writing (for the repair mark). */
    long low() {
        long low = logClock.low();
        if (!unfinished.isEmpty()) low = Math.min(low, unfinished.firstKey());
        return low;
    }

    /** For tests: acknowledged appends in async index mode write no index rows, as if the process died at once. */
    void dropAsyncIndexWrites() {
        dropAsyncIndexWrites = true;
    }
}
