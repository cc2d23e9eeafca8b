package io.annals.store.cassandra;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Appended;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreStats;
import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.PendingEvent;
import io.annals.core.spi.StorageEngine;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import io.annals.core.api.StoreUnavailableException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Apache Cassandra storage engine. Open it by name ({@code EventStores.open("cassandra", settings)}) with the
 * options listed in docs/storage-cassandra.md. Thread-safe. Asynchronous appends run on a pool of
 * {@code write-threads} threads (the calling thread does not wait; an append's statements run concurrently), blocking
 * ones on the calling thread; reads run on the calling thread. While Cassandra cannot be reached every call fails
 * with a transient {@link io.annals.core.api.StoreUnavailableException}; the engine needs no restart when it
 * returns, and creates its schema on the first call that reaches it if it was down when the engine opened.
 * <p>
 * The global log is read behind a watermark: entries become visible {@code log.settle-delay} after their log
 * time, so that readers never pass an entry that a writer with a slower clock (by less than the delay) is still
 * writing. Each engine also holds readers before its own appends still in flight.
 */
public final class CassandraEngine implements StorageEngine {
    private final Connection conn;
    private final LogClock logClock;
    private final Writer writer;
    private final Committer committer;
    private final Reader reader;
    private final Repairer repairer;
    private final ScheduledExecutorService background;
    private final ThreadPoolExecutor writers;
    private final CassandraCheckpoints checkpoints;
    private final CassandraKeyValues keyValues;

    private CassandraEngine(CassandraConfig config, Clock ttlClock, Clock logTimeClock) {
        this.conn = Connection.open(config);
        this.logClock = new LogClock(logTimeClock, config.logBucketMicros(), config.settleDelay().toNanos() / 1000);
        UUID writerId = UUID.randomUUID();
        Rows rows = new Rows(config, ttlClock);
        Heads heads = new Heads(conn);
        this.committer = new Committer(config, conn, rows, logClock, writerId, heads);
        this.writer = new Writer(config, conn, rows, logClock, heads, committer);
        this.reader = new Reader(config, conn, rows, logClock);
        this.checkpoints = new CassandraCheckpoints(conn);
        this.keyValues = new CassandraKeyValues(conn, config, ttlClock);
        this.repairer = new Repairer(config, conn, rows, committer, heads, logClock, writerId);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "annals-cassandra-repair");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger threads = new AtomicInteger();
        this.writers = new ThreadPoolExecutor(config.writeThreads(), config.writeThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "annals-cassandra-write-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        writers.allowCoreThreadTimeOut(true);
        long interval = config.repairInterval().toMillis();
        background.scheduleWithFixedDelay(repairer::runOnce, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Opens the engine; TTL expiry follows the settings' clock, log times the system clock. */
    public static CassandraEngine open(EngineSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /**
     * Opens the engine with the clock that stamps log times (tests skew it to play writers whose clocks differ).
     * Waits up to the request timeout for Cassandra and the schema; if Cassandra is not reached by then the engine
     * opens anyway and connects in the background. Bad options and a store created with other bucket sizes fail here.
     */
    public static CassandraEngine open(EngineSettings settings, Clock logTimeClock) {
        CassandraConfig config = CassandraConfig.from(settings);
        CassandraEngine engine = new CassandraEngine(config, settings.clock(), logTimeClock);
        try {
            engine.conn.awaitReady(config.requestTimeout());
            engine.conn.statements();
        } catch (IllegalArgumentException | IllegalStateException e) {
            engine.close();
            throw e;
        } catch (RuntimeException e) {
            // unavailable: the engine keeps trying in the background
        }
        return engine;
    }

    /**
     * The CQL that creates the store these settings describe (keyspace, tables, schema version), for operators who
     * create schemas themselves and open the engine with {@code schema = existing}.
     */
    public static List<String> schemaCql(EngineSettings settings) {
        return Schema.cql(CassandraConfig.from(settings));
    }

    @Override
    public CompletionStage<List<Appended>> write(List<PendingEvent> events, ExpectedVersion expected) {
        if (writers.isShutdown()) return CompletableFuture.failedFuture(new StoreUnavailableException("the store is closed", null));
        // most appends have nothing to wait for before their commit: they need no pool thread
        try {
            CompletableFuture<List<Appended>> now = writer.writeNow(events, expected);
            if (now != null) return now;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(conn.unavailable(e));
        }
        CompletableFuture<List<Appended>> result = new CompletableFuture<>();
        try {
            writers.execute(() -> {
                try {
                    result.complete(writer.write(events, expected));
                } catch (RuntimeException e) {
                    result.completeExceptionally(conn.unavailable(e));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new StoreUnavailableException("the store is closed", e));
        }
        return result;
    }

    /** Runs the append on the caller's thread, which waits for it anyway. */
    @Override
    public List<Appended> writeAndWait(List<PendingEvent> events, ExpectedVersion expected) {
        if (writers.isShutdown()) throw new StoreUnavailableException("the store is closed", null);
        try {
            return writer.write(events, expected);
        } catch (RuntimeException e) {
            throw conn.unavailable(e);
        }
    }

    @Override
    public Optional<Event> get(String id) {
        return read(() -> reader.get(id));
    }

    @Override
    public EventPage query(Query query) {
        return read(() -> reader.query(query));
    }

    @Override
    public AggregatePage readAggregate(AggregateQuery query) {
        return read(() -> reader.readAggregate(query));
    }

    @Override
    public long streamVersion(AggregateId aggregate) {
        return read(() -> reader.streamVersion(aggregate));
    }

    @Override
    public LogPage readLog(Position after, int limit) {
        return read(() -> reader.readLog(after, limit));
    }

    @Override
    public io.annals.core.api.Checkpoints checkpoints() {
        return checkpoints;
    }

    /** The key-values, in table {@code kv} (see {@link CassandraKeyValues}). */
    @Override
    public io.annals.core.api.KeyValues keyValues() {
        return keyValues;
    }

    /** A look-up of the last entry before the watermark (the default would read the whole log). */
    @Override
    public Position logEnd() {
        return read(reader::logEnd);
    }

    /** Counting rows in Cassandra means reading them all: the engine does not count. */
    @Override
    public StoreStats stats() {
        conn.ensureOpen();
        return new StoreStats(-1, -1);
    }

    private <T> T read(Supplier<T> call) {
        conn.ensureOpen();
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw conn.unavailable(e);
        }
    }

    /**
     * Waits until every log entry this engine has written is past the watermark, so that a reader sees it (tests
     * call this before reading the log; a settle delay of zero makes it return at once).
     */
    public void awaitLogSettled() {
        long target = logClock.last() + logClock.settleMicros();
        long waitMicros = target - logClock.nowMicros();
        if (waitMicros <= 0) return;
        try {
            Thread.sleep(waitMicros / 1000 + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one repair pass now (tests; the engine runs one every {@code repair.interval} by itself). */
    void repairNow() {
        repairer.runOnce();
    }

    Committer committer() {
        return committer;
    }

    Writer writer() {
        return writer;
    }

    /** Stops without the clean-close bookkeeping, as a crashed process would (tests). */
    void crash() {
        writers.shutdownNow();
        background.shutdownNow();
        committer.close();
        conn.close();
    }

    @Override
    public void close() {
        if (conn.isClosed()) return;
        writers.shutdown(); // queued appends still run and fail at once: the store is closed
        background.shutdownNow();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            repairer.forgetSelf();
        } catch (RuntimeException e) {
            // closing anyway
        }
        committer.close();
        conn.close();
    }
}
