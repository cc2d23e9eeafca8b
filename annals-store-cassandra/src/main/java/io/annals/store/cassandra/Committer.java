package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.StoreUnavailableException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of an append, once every refusal is ruled out: the commit (the log rows, one unlogged batch in
 * one log partition, atomic and isolated) and the apply (event, history, head and index rows). From the commit on
 * an append is complete or will be: a failed append stays in {@link #unfinished} and the repairer runs
 * {@link #complete} again (every write is idempotent), and the {@code writers} row this class registers lets
 * another engine finish the work of a process that died.
 */
final class Committer {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
    /** Plans written together at most (a plan is one append). */
    private static final int MAX_GROUP = 256;
    private static final int GROUPS_IN_FLIGHT = 4;

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
    private volatile boolean closed;
    private final LinkedBlockingQueue<Plan> queue = new LinkedBlockingQueue<>();
    private final Semaphore inFlight = new Semaphore(GROUPS_IN_FLIGHT);
    private final Thread grouper;

    Committer(CassandraConfig config, Connection conn, Rows rows, LogClock logClock, UUID writerId, Heads heads) {
        this.config = config;
        this.conn = conn;
        this.rows = rows;
        this.logClock = logClock;
        this.writerId = writerId;
        this.heads = heads;
        this.grouper = new Thread(this::group, "annals-cassandra-commit");
        grouper.setDaemon(true);
        grouper.start();
    }

    /** Stops the group writer; appends waiting for it fail as unavailable (the repairer no longer runs either). */
    void close() {
        closed = true;
        grouper.interrupt();
        try {
            grouper.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StoreUnavailableException closing = new StoreUnavailableException("the store is closed", null);
        for (Plan p; (p = queue.poll()) != null; ) p.written.completeExceptionally(closing);
    }

    /** One event as it will be stored, with its log time and how its event row is written. */
    record Placed(Event event, long ltime, ByteBuffer data, boolean claim, String takeOverFrom) {}

    /** An append whose rows are being written; {@code committed} once its log rows are stored. */
    static final class Plan {
        final long base;
        final List<Placed> placed;
        final Map<AggregateId, Long> newHeads;
        /** The heads were moved by conditional writes before the commit (else the apply writes them plainly). */
        final boolean conditionalHeads;
        /** Completes when the group writer has committed and applied this plan (or failed to). */
        final CompletableFuture<Void> written = new CompletableFuture<>();
        volatile boolean committed;
        volatile boolean applied;
        /** Set when a write of this plan failed: the repairer takes it over. */
        volatile boolean retry;

        Plan(long base, List<Placed> placed, Map<AggregateId, Long> newHeads, boolean conditionalHeads) {
            this.base = base;
            this.placed = placed;
            this.newHeads = newHeads;
            this.conditionalHeads = conditionalHeads;
        }
    }

    /**
     * Commits and applies a new plan, in a group with the plans of the appends running at the same time; on
     * failure it stays unfinished for the repairer.
     */
    void commit(Statements s, Plan plan) {
        try {
            commitAsync(plan).join();
        } catch (CompletionException e) {
            plan.retry = true;
            throw conn.unavailable(e.getCause());
        }
    }

    /** {@link #commit} without waiting: {@code plan.written}, completed on the driver's I/O thread. */
    CompletableFuture<Void> commitAsync(Plan plan) {
        unfinished.put(plan.base, plan);
        if (closed) {
            plan.retry = true;
            throw new StoreUnavailableException("the store is closed", null);
        }
        queue.add(plan);
        if (closed && queue.remove(plan)) plan.written.completeExceptionally(new StoreUnavailableException("the store is closed", null));
        return plan.written;
    }

    /** True when this process is writing the append that holds {@code e} (its log row may be on its way). */
    boolean isOurs(Event e) {
        Keys.LogKey key = Keys.parse(e.position());
        Map.Entry<Long, Plan> p = unfinished.floorEntry(key.ltime());
        return p != null && key.ltime() < p.getKey() + p.getValue().placed.size();
    }

    /**
     * The group writer: takes every plan waiting (appends that ran at the same time) and writes them together, so
     * that their rows share requests: the log rows of a group are one single-partition batch, its rows of one type,
     * tag or time bucket one batch each. At most {@value #GROUPS_IN_FLIGHT} groups are in flight; plans that
     * arrive meanwhile wait and form the next, larger group.
     */
    private void group() {
        while (!closed) {
            List<Plan> group = new ArrayList<>();
            Plan first = null;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                inFlight.acquire();
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
            } catch (InterruptedException e) {
                // closing: a plan taken from the queue but not yet written must not be left waiting for ever
                if (first != null && group.isEmpty())
                    first.written.completeExceptionally(new StoreUnavailableException("the store is closed", null));
                break;
            }
            try {
                writeGroup(conn.statements(), group).whenComplete((ok, failure) -> {
                    inFlight.release();
                    for (Plan p : group) {
                        // a caller's stage runs here (asynchronous appends): one that throws (an executor refusing
                        // it) must not leave the plans after it waiting
                        try {
                            if (failure == null) p.written.complete(null);
                            else p.written.completeExceptionally(failure);
                        } catch (RuntimeException e) {
                            LOG.warn("a stage waiting for an append failed", e);
                        }
                    }
                });
            } catch (RuntimeException e) {
                inFlight.release();
                for (Plan p : group) p.written.completeExceptionally(e);
            }
        }
        StoreUnavailableException closing = new StoreUnavailableException("the store is closed", null);
        for (Plan p; (p = queue.poll()) != null; ) p.written.completeExceptionally(closing);
    }

    /**
     * The commit (log rows), then the apply of every plan of the group; completes when acknowledgeable. Every
     * statement is made here, before the commit, so that the driver's I/O thread that sees the commit only sends.
     */
    private CompletableFuture<Void> writeGroup(Statements s, List<Plan> group) {
        List<BoundStatement> log = new ArrayList<>();
        for (Plan plan : group) log.addAll(logRows(s, plan));
        Apply apply = new Apply();
        for (Plan plan : group) applyRows(s, plan, true, apply);
        List<Statement<?>> now = apply.requests();
        List<Statement<?>> later = Rows.byPartition(apply.later);
        return Async.allAsync(conn, logBatches(log)).thenCompose(committed -> {
            rows.written(log);
            for (Plan plan : group) {
                plan.committed = true;
                logClock.release(plan.base);
            }
            return Async.allAsync(conn, now).thenRun(() -> {
                rows.written(apply.rowsNow());
                for (Plan plan : group) plan.applied = true;
                if (later.isEmpty()) {
                    for (Plan plan : group) unfinished.remove(plan.base);
                } else if (!dropAsyncIndexWrites) { // the flag: a test stands in for a crash right after the acknowledgement
                    Async.allAsync(conn, later).whenComplete((ok, failure) -> {
                        if (failure == null) rows.written(apply.later);
                        for (Plan plan : group) {
                            if (failure == null) unfinished.remove(plan.base);
                            else plan.retry = true; // the repairer writes the index rows again
                        }
                    });
                }
            });
        });
    }

    /** The log rows of a plan, with the registry row of its log bucket when this process has not written it yet. */
    private List<BoundStatement> logRows(Statements s, Plan plan) {
        List<BoundStatement> out = new ArrayList<>(plan.placed.size() + 1);
        BoundStatement bucket = rows.logBucket(s, plan.base);
        if (bucket != null) out.add(bucket);
        for (Placed p : plan.placed) out.add(rows.logRow(s, p.event(), p.ltime(), writerId, p.data()));
        return out;
    }

    /**
     * The rows of an apply: {@code events}, each event's rows, and {@code now}, the other rows (registry rows,
     * conditional head writes), are written before the acknowledgement (with the index rows in sync mode);
     * {@code later} after it (index rows in async mode).
     */
    private static final class Apply {
        final List<Rows.EventRows> events = new ArrayList<>();
        final List<BoundStatement> now = new ArrayList<>();
        final List<BoundStatement> later = new ArrayList<>();

        List<Statement<?>> requests() {
            return Rows.requests(events, now);
        }

        /** Every row written before the acknowledgement (for the registry cache). */
        List<BoundStatement> rowsNow() {
            List<BoundStatement> all = new ArrayList<>(now);
            for (Rows.EventRows e : events) {
                all.addAll(e.own());
                all.addAll(e.shared());
            }
            return all;
        }
    }

    private void applyRows(Statements s, Plan plan, boolean firstTry, Apply apply) {
        Map<AggregateId, Rows.EventRows> lastOfAggregate = new java.util.HashMap<>();
        for (Placed p : plan.placed) {
            Rows.EventRows rowsOfEvent = new Rows.EventRows();
            // an events row only for a client's id: written by the claim, again (plainly) when finishing a failed append
            if (!firstTry && (p.claim() || p.takeOverFrom() != null)) rowsOfEvent.own().add(rows.eventRow(s, p.event(), p.data()));
            for (BoundStatement r : rows.historyRows(s, p.event(), p.data())) (Rows.isRegistry(r) ? apply.now : rowsOfEvent.shared()).add(r);
            for (BoundStatement r : rows.indexRows(s, p.event(), p.data()))
                (config.asyncIndexes() ? apply.later : Rows.isRegistry(r) ? apply.now : rowsOfEvent.shared()).add(r);
            apply.events.add(rowsOfEvent);
            if (p.event().aggregate() != null) lastOfAggregate.put(p.event().aggregate(), rowsOfEvent);
        }
        if (!plan.conditionalHeads || !firstTry) {
            for (Map.Entry<AggregateId, BoundStatement> h : headWrites(s, plan, firstTry).entrySet()) {
                // a plain head write travels with the last event of its aggregate; a conditional one goes alone
                Rows.EventRows last = lastOfAggregate.get(h.getKey());
                (last != null && h.getValue().getPreparedStatement() == s.writeHead ? last.own() : apply.now).add(h.getValue());
            }
        }
    }

    /**
     * Writes what {@code plan} still lacks, waiting for it: the log rows (the commit), then event, history and head
     * rows, then the index rows. Idempotent: the repairer runs it again for plans whose writes failed.
     */
    void complete(Statements s, Plan plan, boolean firstTry) {
        if (!plan.committed) {
            List<BoundStatement> log = logRows(s, plan);
            Async.all(conn, logBatches(log));
            rows.written(log);
            plan.committed = true;
            logClock.release(plan.base);
        }
        if (!plan.applied) {
            Apply apply = new Apply();
            applyRows(s, plan, firstTry, apply);
            apply.now.addAll(apply.later);
            Async.all(conn, apply.requests());
            rows.written(apply.rowsNow());
            plan.applied = true;
            unfinished.remove(plan.base);
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
     * Head rows written without a condition when the append did not move them conditionally; in {@code lwt} mode
     * only when a retry or a repair finishes an append, and then only to move a head forward, never back.
     */
    private Map<AggregateId, BoundStatement> headWrites(Statements s, Plan plan, boolean firstTry) {
        Map<AggregateId, BoundStatement> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<AggregateId, Long> h : plan.newHeads.entrySet()) {
            AggregateId a = h.getKey();
            if (config.headMode() != CassandraConfig.HeadMode.LWT) {
                // the cache holds this head's newest version (never below this plan's)
                out.put(a, s.writeHead.bind(Math.max(h.getValue(), heads.cachedOrZero(a)), a.type(), a.id()));
                continue;
            }
            if (firstTry) continue;
            long current = heads.read(s, a);
            if (current < h.getValue()) {
                out.put(a, current == 0 ? s.createHead.bind(a.type(), a.id(), h.getValue())
                        : s.advanceHead.bind(h.getValue(), a.type(), a.id(), current));
            }
        }
        return out;
    }

    /**
     * The log rows as batches, one per log partition (rows of one append never straddle a partition), of at most
     * ~4 MB each (a mutation must stay well below Cassandra's commit log segment); a registry row goes alone.
     */
    private static List<Statement<?>> logBatches(List<BoundStatement> log) {
        List<Statement<?>> out = new ArrayList<>();
        Map<Long, List<BoundStatement>> byBucket = new java.util.LinkedHashMap<>();
        for (BoundStatement b : log) {
            if (Rows.isRegistry(b)) out.add(b);
            else byBucket.computeIfAbsent(b.getLong(0), k -> new ArrayList<>()).add(b);
        }
        for (List<BoundStatement> rows : byBucket.values()) for (List<BoundStatement> chunk : chunks(rows)) out.add(Rows.onePartition(chunk));
        return out;
    }

    private static List<List<BoundStatement>> chunks(List<BoundStatement> rows) {
        List<List<BoundStatement>> out = new ArrayList<>();
        List<BoundStatement> current = new ArrayList<>();
        long bytes = 0;
        for (BoundStatement row : rows) {
            int size = row.getByteBuffer(4).remaining() + 64;
            if (!current.isEmpty() && bytes + size > 4_000_000) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(row);
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
    void register(Statements s) {
        if (!registered) registerOnce(s);
    }

    boolean registered() {
        return registered;
    }

    private synchronized void registerOnce(Statements s) {
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
