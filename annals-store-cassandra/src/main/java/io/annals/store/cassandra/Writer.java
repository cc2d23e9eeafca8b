package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.annals.core.api.AggregateId;
import io.annals.core.api.Appended;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.Event;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.WrongExpectedVersionException;
import io.annals.core.spi.PendingEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;

/**
 * The first half of an append: everything that may refuse it, before anything visible is written. Appends that
 * touch the same aggregate or client id are serialised in this process by striped locks; across processes the
 * conditional writes decide. One append:
 * <ol>
 *   <li>dedupe: read the event row of every client-supplied id (repeat, conflict, in flight elsewhere, or new);</li>
 *   <li>number: stream versions from the cached or read stream heads; check the expected version;</li>
 *   <li>claim: {@code INSERT ... IF NOT EXISTS} on the event row of each new client-supplied id;</li>
 *   <li>advance the stream heads with {@code IF version = old} when the append asks for an expected version (every
 *       append in {@code stream-heads = lwt} mode); otherwise the {@link Committer} writes them plainly;</li>
 *   <li>hand the plan to the {@link Committer}: commit to the log, write the other rows, acknowledge.</li>
 * </ol>
 * A lost race (a claim or head another process took first) undoes this append's claims and head moves and plans
 * it again, so a refused append leaves no trace.
 */
final class Writer {
    private static final int STRIPES = 1024;
    private static final int MAX_ATTEMPTS = 20;

    private final CassandraConfig config;
    private final Connection conn;
    private final Rows rows;
    private final LogClock logClock;
    private final Semaphore[] stripes = new Semaphore[STRIPES];
    private final Heads heads;
    private final Committer committer;
    /** Appends taken by {@link #writeNow} and not yet written: at most {@code write-threads}, as on the pool. */
    private final Semaphore direct;
    /** How many appends {@link #writeNow} took (tests). */
    final java.util.concurrent.atomic.LongAdder directAppends = new java.util.concurrent.atomic.LongAdder();

    Writer(CassandraConfig config, Connection conn, Rows rows, LogClock logClock, Heads heads, Committer committer) {
        this.config = config;
        this.conn = conn;
        this.rows = rows;
        this.logClock = logClock;
        this.heads = heads;
        this.committer = committer;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Semaphore(1);
        this.direct = new Semaphore(config.writeThreads());
    }

    List<Appended> write(List<PendingEvent> events, ExpectedVersion expected) {
        conn.ensureOpen();
        Statements s = conn.statements();
        committer.register(s);
        List<Semaphore> held = lock(events);
        try {
            long deadline = System.nanoTime() + config.requestTimeout().toNanos();
            for (int attempt = 1; ; attempt++) {
                conn.ensureOpen();
                try {
                    List<Appended> result = attempt(s, events, expected);
                    if (result != null) return result;
                } catch (ClaimInProgress e) {
                    // another process is appending an event with this id: wait for its outcome
                    if (System.nanoTime() > deadline)
                        throw new StoreUnavailableException("another append of event '" + e.id + "' is in progress; retry", null);
                    pause(5L * Math.min(attempt, 20));
                    continue;
                }
                if (attempt >= MAX_ATTEMPTS)
                    throw new StoreUnavailableException("the append lost " + MAX_ATTEMPTS + " races with other writers; retry", null);
            }
        } finally {
            unlock(held);
        }
    }

    /** A stored event row of a client id whose append has not reached the log yet, and is not abandoned. */
    private static final class ClaimInProgress extends RuntimeException {
        final String id;

        ClaimInProgress(String id) {
            super(null, null, false, false);
            this.id = id;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for another append", e);
        }
    }

    /** One try; null when another process won a race and the append must be planned again. */
    private List<Appended> attempt(Statements s, List<PendingEvent> events, ExpectedVersion expected) {
        Appended[] results = new Appended[events.size()];
        Map<String, String> takeOver = dedupe(s, events, results);
        List<Integer> fresh = new ArrayList<>();
        for (int i = 0; i < results.length; i++) if (results[i] == null) fresh.add(i);
        if (fresh.isEmpty()) return List.of(results);

        // number the new events
        Map<AggregateId, Long> oldHeads = loadHeads(s, events, fresh);
        boolean checked = !(expected instanceof ExpectedVersion.Any);
        AggregateId stream = events.get(0).event().aggregate();
        if (checked && !expected.matches(oldHeads.get(stream))) {
            long actual = Math.max(heads.read(s, stream), unfinishedHead(stream));
            heads.remember(stream, actual);
            if (!expected.matches(actual)) throw new WrongExpectedVersionException(stream, expected, actual);
            oldHeads.put(stream, actual);
        }
        Committer.Plan plan = place(events, fresh, oldHeads, takeOver, results, config.conditionalHeads(checked));
        long base = plan.base;
        List<Committer.Placed> placed = plan.placed;
        boolean released = false;
        try {
            if (!claim(s, placed)) {
                logClock.release(base);
                released = true;
                return null;
            }
            if (plan.conditionalHeads && !advanceHeads(s, plan, oldHeads, placed, checked ? stream : null, expected)) {
                logClock.release(base);
                released = true;
                return null;
            }
        } catch (RuntimeException e) {
            if (!released) logClock.release(base);
            throw e;
        }
        heads.rememberAll(plan.newHeads);
        committer.commit(s, plan);
        return List.of(results);
    }

    /**
     * Numbers the events at {@code fresh} from {@code oldHeads}, gives them log times (reserved here) and the
     * engine's ids where the client gave none, and fills their answers in {@code results}.
     */
    private Committer.Plan place(List<PendingEvent> events, List<Integer> fresh, Map<AggregateId, Long> oldHeads,
                                 Map<String, String> takeOver, Appended[] results, boolean conditionalHeads) {
        Map<AggregateId, Long> newHeads = new LinkedHashMap<>(oldHeads);
        long base = logClock.reserve(fresh.size());
        List<Committer.Placed> placed = new ArrayList<>(fresh.size());
        for (int k = 0; k < fresh.size(); k++) {
            int i = fresh.get(k);
            PendingEvent p = events.get(i);
            Event e = p.event();
            long version = 0;
            if (e.aggregate() != null) {
                version = newHeads.get(e.aggregate()) + 1;
                newHeads.put(e.aggregate(), version);
            }
            long ltime = base + k;
            if (!p.clientId()) e = withId(e, Keys.engineId(ltime));
            Event stored = e.at(Keys.position(ltime, e.id()), version);
            placed.add(new Committer.Placed(stored, ltime, Rows.encode(stored), p.clientId(), takeOver.get(e.id())));
            results[i] = new Appended(e.id(), stored.position(), version, false);
        }
        return new Committer.Plan(base, placed, newHeads, conditionalHeads);
    }

    /**
     * The append without blocking, when nothing before its commit waits for Cassandra or another append: no client
     * ids (nothing to dedupe or claim), no expected version and plain head writes, every head cached, every stripe
     * free, fewer than {@code write-threads} such appends in flight. The stripes stay taken until the rows are written;
     * the future completes on the driver's I/O thread. Null when the append needs {@link #write}, on a thread that
     * may block.
     */
    CompletableFuture<List<Appended>> writeNow(List<PendingEvent> events, ExpectedVersion expected) {
        if (!(expected instanceof ExpectedVersion.Any) || config.conditionalHeads(false)) return null;
        for (PendingEvent p : events) if (p.clientId()) return null;
        conn.ensureOpen();
        Statements s = conn.ready();
        if (s == null || !committer.registered()) return null;
        if (!direct.tryAcquire()) return null;
        List<Semaphore> held = tryLock(events);
        if (held == null) {
            direct.release();
            return null;
        }
        held.add(direct);
        Committer.Plan plan;
        Appended[] results = new Appended[events.size()];
        try {
            Map<AggregateId, Long> oldHeads = new LinkedHashMap<>();
            List<Integer> all = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                all.add(i);
                AggregateId a = events.get(i).event().aggregate();
                if (a == null || oldHeads.containsKey(a)) continue;
                Long cached = heads.cached(a);
                if (cached == null) {
                    unlock(held);
                    return null;
                }
                oldHeads.put(a, cached);
            }
            plan = place(events, all, oldHeads, Map.of(), results, false);
            heads.rememberAll(plan.newHeads);
            committer.commitAsync(plan);
            directAppends.increment();
        } catch (RuntimeException e) {
            unlock(held);
            throw e;
        }
        return plan.written.handle((ok, failure) -> {
            unlock(held);
            if (failure == null) return List.of(results);
            plan.retry = true;
            throw conn.unavailable(failure);
        });
    }

    /** {@code e} with the id {@code id} (the engine's for an event whose client supplied none: {@link Keys#engineId}). */
    private static Event withId(Event e, String id) {
        return new Event(id, e.type(), e.version(), e.source(), e.aggregate(), e.time(), e.processedAt(), e.metadata(),
                e.tags(), e.payload(), e.ttl(), e.position(), e.streamVersion());
    }

    /**
     * Reads the stored rows of client-supplied ids: fills {@code results} for repeats, throws on a conflict, and
     * returns the ids whose stored row is an expired event or an abandoned claim (to be taken over, by position).
     */
    private Map<String, String> dedupe(Statements s, List<PendingEvent> events, Appended[] results) {
        List<Integer> claimed = new ArrayList<>();
        List<BoundStatement> reads = new ArrayList<>();
        // an id of the engine's shape may be that of an event stored without an events row: its log row is read too
        Map<Integer, Integer> shaped = new HashMap<>();
        List<BoundStatement> logReads = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (!events.get(i).clientId()) continue;
            String id = events.get(i).event().id();
            claimed.add(i);
            reads.add(s.selectEvent.bind(id));
            long ltime = Keys.engineIdTime(id);
            if (ltime >= 0) {
                shaped.put(claimed.size() - 1, logReads.size());
                logReads.add(s.selectLogEvent.bind(Keys.bucket(ltime, config.logBucketMicros()), ltime, id));
            }
        }
        Map<String, String> takeOver = new HashMap<>();
        if (reads.isEmpty()) return takeOver;
        reads.addAll(logReads);
        List<AsyncResultSet> found = Async.all(conn, reads);
        Map<Integer, Event> stored = new HashMap<>();
        Map<Integer, Row> storedRows = new HashMap<>();
        List<Integer> unsure = new ArrayList<>();
        List<BoundStatement> logChecks = new ArrayList<>();
        for (int k = 0; k < claimed.size(); k++) {
            Row row = found.get(k).one();
            Integer logRead = shaped.get(k);
            Row logRow = logRead == null ? null : found.get(claimed.size() + logRead).one();
            if (row == null && logRow != null) {
                // stored under the engine's id, in the log alone; expired, the id is free again
                Event e = Rows.decode(logRow.getByteBuffer("data"));
                if (!rows.expired(e)) stored.put(claimed.get(k), e);
                continue;
            }
            if (row == null) continue;
            storedRows.put(claimed.get(k), row);
            Event e = Rows.decode(row.getByteBuffer("data"));
            if (rows.expired(e)) {
                takeOver.put(e.id(), row.getString("position"));
                continue;
            }
            stored.put(claimed.get(k), e);
            if (!committer.isOurs(e)) {
                Keys.LogKey key = Keys.parse(e.position());
                unsure.add(claimed.get(k));
                logChecks.add(s.selectLogRow.bind(Keys.bucket(key.ltime(), config.logBucketMicros()), key.ltime(), key.id()));
            }
        }
        // a stored row whose log row is missing is a claim that never committed: in progress, or abandoned
        List<AsyncResultSet> inLog = Async.all(conn, logChecks);
        for (int k = 0; k < unsure.size(); k++) {
            if (inLog.get(k).one() != null) continue;
            int i = unsure.get(k);
            Event e = stored.remove(i);
            Row row = storedRows.get(i);
            long writtenMicros = row.isNull("written") ? 0 : row.getLong("written");
            long ageMicros = logClock.nowMicros() - writtenMicros;
            if (ageMicros < config.claimTimeout().toNanos() / 1000) throw new ClaimInProgress(e.id());
            takeOver.put(e.id(), e.position().value());
        }
        for (Map.Entry<Integer, Event> entry : stored.entrySet()) {
            PendingEvent p = events.get(entry.getKey());
            Event e = entry.getValue();
            if (!e.sameContentAs(p.event(), p.clientTime())) throw new DuplicateIdConflictException(e.id());
            results[entry.getKey()] = new Appended(e.id(), e.position(), e.streamVersion(), true);
        }
        return takeOver;
    }

    private Map<AggregateId, Long> loadHeads(Statements s, List<PendingEvent> events, List<Integer> fresh) {
        Map<AggregateId, Long> out = new LinkedHashMap<>();
        List<AggregateId> missing = new ArrayList<>();
        for (int i : fresh) {
            AggregateId a = events.get(i).event().aggregate();
            if (a == null || out.containsKey(a)) continue;
            Long cached = heads.cached(a);
            out.put(a, cached);
            if (cached == null) missing.add(a);
        }
        List<BoundStatement> reads = new ArrayList<>();
        for (AggregateId a : missing) reads.add(s.selectHead.bind(a.type(), a.id()));
        List<AsyncResultSet> found = Async.all(conn, reads);
        for (int k = 0; k < missing.size(); k++) {
            Row row = found.get(k).one();
            out.put(missing.get(k), Math.max(row == null ? 0L : row.getLong("version"), unfinishedHead(missing.get(k))));
        }
        return out;
    }

    /**
     * The highest version this process gave {@code a} in appends whose rows are not all written yet (0 if none):
     * a plain head write that failed is retried by the repairer, and meanwhile the stored head is behind; numbering
     * from it after the cache forgot the head would hand out a version again.
     */
    private long unfinishedHead(AggregateId a) {
        long top = 0;
        for (Committer.Plan p : committer.unfinished.values()) top = Math.max(top, p.newHeads.getOrDefault(a, 0L));
        return top;
    }

    /** Claims the event row of each new client-supplied id; on a lost race releases what it claimed, false. */
    private boolean claim(Statements s, List<Committer.Placed> placed) {
        List<Committer.Placed> claims = new ArrayList<>();
        List<CompletableFuture<AsyncResultSet>> futures = new ArrayList<>();
        for (Committer.Placed p : placed) {
            if (!p.claim() && p.takeOverFrom() == null) continue;
            int ttl = rows.ttlSeconds(p.event());
            BoundStatement st = p.takeOverFrom() == null
                    ? s.claimEvent.bind(p.event().id(), p.event().position().value(), p.data(), ttl)
                    : s.takeOverEvent.bind(ttl, p.event().position().value(), p.data(), p.event().id(), p.takeOverFrom());
            claims.add(p);
            futures.add(s.session.executeAsync(st).toCompletableFuture());
        }
        List<Throwable> failures = Async.settle(futures);
        boolean lost = false;
        List<Committer.Placed> won = new ArrayList<>();
        for (int k = 0; k < futures.size(); k++) {
            AsyncResultSet r = futures.get(k).isCompletedExceptionally() ? null : futures.get(k).join();
            if (r == null) continue;
            if (r.wasApplied()) won.add(claims.get(k));
            else lost = true;
        }
        if (!failures.isEmpty() || lost) {
            releaseClaims(s, won);
            if (!failures.isEmpty()) throw conn.unavailable(failures.get(0));
            return false;
        }
        return true;
    }

    private void releaseClaims(Statements s, List<Committer.Placed> won) {
        List<BoundStatement> undo = new ArrayList<>();
        for (Committer.Placed p : won) undo.add(s.releaseEvent.bind(p.event().id(), p.event().position().value()));
        try {
            Async.all(conn, undo);
        } catch (RuntimeException e) {
            // left behind, a claim that never reaches the log is taken over once it is older than the claim timeout
        }
    }

    /**
     * Moves every stream head from its old to its new version with a conditional write. When one has moved on
     * (another process appended), undoes the others and the claims, then refuses (expected version) or returns
     * false (number again).
     */
    private boolean advanceHeads(Statements s, Committer.Plan plan, Map<AggregateId, Long> oldHeads, List<Committer.Placed> placed,
                                 AggregateId checkedStream, ExpectedVersion expected) {
        List<AggregateId> order = new ArrayList<>(plan.newHeads.keySet());
        List<CompletableFuture<AsyncResultSet>> futures = new ArrayList<>();
        for (AggregateId a : order) {
            long old = oldHeads.get(a), now = plan.newHeads.get(a);
            BoundStatement st = old == 0 ? s.createHead.bind(a.type(), a.id(), now) : s.advanceHead.bind(now, a.type(), a.id(), old);
            futures.add(s.session.executeAsync(st).toCompletableFuture());
        }
        List<Throwable> failures = new ArrayList<>(Async.settle(futures));
        List<BoundStatement> undo = new ArrayList<>();
        Map<AggregateId, Long> actual = new HashMap<>();
        for (int k = 0; k < futures.size(); k++) {
            AggregateId a = order.get(k);
            if (futures.get(k).isCompletedExceptionally()) {
                heads.forget(a); // unknown: read it again next time
                continue;
            }
            AsyncResultSet r = futures.get(k).join();
            if (r.wasApplied()) {
                // a stream this append created is deleted again: a head row never holds version 0
                undo.add(oldHeads.get(a) == 0 ? s.dropHead.bind(a.type(), a.id(), plan.newHeads.get(a))
                        : s.advanceHead.bind(oldHeads.get(a), a.type(), a.id(), plan.newHeads.get(a)));
            } else {
                Row row = r.one();
                long v = row == null || row.isNull("version") ? 0 : row.getLong("version");
                if (config.headMode() != CassandraConfig.HeadMode.LWT && v < oldHeads.get(a)) {
                    // this process numbered past the stored head and its plain write is not stored yet (a failed
                    // append the repairer is finishing): the cache is right, the stored head is behind
                    failures.add(new StoreUnavailableException("an earlier append to " + a + " is still being written; retry", null));
                    continue;
                }
                actual.put(a, v);
                heads.remember(a, v);
            }
        }
        if (failures.isEmpty() && actual.isEmpty()) return true;
        List<Committer.Placed> claimed = placed.stream().filter(p -> p.claim() || p.takeOverFrom() != null).toList();
        try {
            Async.all(conn, undo);
        } catch (RuntimeException e) {
            for (AggregateId a : order) heads.forget(a);
        }
        releaseClaims(s, claimed);
        if (!failures.isEmpty()) throw conn.unavailable(failures.get(0));
        if (checkedStream != null && actual.containsKey(checkedStream))
            throw new WrongExpectedVersionException(checkedStream, expected, actual.get(checkedStream));
        return false;
    }

    /** The stripes of the events' aggregates and client ids, taken in order (a stripe is a semaphore of one permit). */
    private static TreeSet<Integer> stripesOf(List<PendingEvent> events) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (PendingEvent p : events) {
            if (p.event().aggregate() != null) ids.add(Math.floorMod(p.event().aggregate().hashCode(), STRIPES));
            if (p.clientId()) ids.add(Math.floorMod(p.event().id().hashCode(), STRIPES));
        }
        return ids;
    }

    private List<Semaphore> lock(List<PendingEvent> events) {
        TreeSet<Integer> ids = stripesOf(events);
        List<Semaphore> held = new ArrayList<>(ids.size());
        try {
            for (int i : ids) {
                Semaphore l = stripes[i];
                if (!l.tryAcquire(config.requestTimeout().toMillis() * 3, TimeUnit.MILLISECONDS))
                    throw new StoreUnavailableException("appends to the same aggregate are queued too long; retry", null);
                held.add(l);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unlock(held);
            throw new StoreUnavailableException("interrupted while waiting to append", e);
        } catch (RuntimeException e) {
            unlock(held);
            throw e;
        }
        return held;
    }

    /** The stripes if every one is free now; null (holding none) if one is taken. */
    private List<Semaphore> tryLock(List<PendingEvent> events) {
        TreeSet<Integer> ids = stripesOf(events);
        List<Semaphore> held = new ArrayList<>(ids.size());
        for (int i : ids) {
            if (!stripes[i].tryAcquire()) {
                unlock(held);
                return null;
            }
            held.add(stripes[i]);
        }
        return held;
    }

    private static void unlock(List<Semaphore> held) {
        for (int i = held.size() - 1; i >= 0; i--) held.get(i).release();
    }
}
