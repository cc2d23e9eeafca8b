package io.annals.store.rocksdb;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Appended;
import io.annals.core.api.Checkpoints;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.KeyValues;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreStats;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.spi.Backups;
import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.PendingEvent;
import io.annals.core.spi.StorageEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.rocksdb.Checkpoint;
import org.rocksdb.LogFile;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded storage engine on RocksDB (registered as {@code rocksdb}). Appends go through one group-commit
 * writer thread and are acknowledged once their WriteBatch is written (and fsynced, with {@code sync=always});
 * reads run concurrently on RocksDB snapshots. Expired events are filtered from every read and deleted by a
 * background sweep. The layout, options and operations are described in {@code docs/storage-rocksdb.md}.
 *
 * <p>Thread-safe. The stages {@link #write} returns complete on one completion thread: callbacks attached to them
 * without an executor run there and must not block (use the {@code *Async} forms for slow work). After
 * {@link #close()} every call fails with {@link StoreUnavailableException}; appends queued before it are still
 * written.
 */
public final class RocksDbEngine implements StorageEngine, Backups {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbEngine.class);

    private final Store store;
    private final Reads reads;
    private final WriterState state;
    private final GroupCommitWriter writer;
    private final ScheduledExecutorService sweeper;
    private final StoredCheckpoints checkpoints;
    private final StoredKeyValues keyValues;
    private final RocksDbConfig config;
    /** Reads hold the read lock so that close never frees native handles under them. */
    private final ReentrantReadWriteLock guard = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private RocksDbEngine(EngineSettings settings, RocksDbConfig config) {
        this.config = config;
        this.store = new Store(Objects.requireNonNull(settings.dataDir(), "the rocksdb engine needs a data directory"),
                config);
        try {
            checkBucketSize(config);
            Rows rows = new Rows(store, config.bucketMicros());
            this.reads = new Reads(store, rows, settings.clock());
            this.state = new WriterState(store, config.writerCacheSize());
            this.writer = new GroupCommitWriter(store, state, rows, settings.clock(), config);
            this.checkpoints = new StoredCheckpoints(store, config.syncEachWrite() ? store.syncedWrites : store.unsyncedWrites);
            this.keyValues = new StoredKeyValues(store, config.syncEachWrite() ? store.syncedWrites : store.unsyncedWrites,
                    settings.clock());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        if (config.sweepInterval().isZero()) {
            sweeper = null;
        } else {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "annals-rocksdb-ttl-sweeper");
                t.setDaemon(true);
                return t;
            });
            long every = config.sweepInterval().toMillis();
            sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Opens (creating if missing) the store in {@code settings.dataDir()}. */
    public static RocksDbEngine open(EngineSettings settings) {
        return new RocksDbEngine(settings, RocksDbConfig.from(settings));
    }

    /** Index keys embed the bucket number, so a store keeps the bucket size it was created with. */
    private void checkBucketSize(RocksDbConfig config) {
        long stored = store.metaLong(Store.META_BUCKET_MICROS, -1);
        if (stored == -1) {
            try {
                store.db.put(store.cf(Store.Cf.META), Store.META_BUCKET_MICROS, Keys.plain(config.bucketMicros()));
            } catch (RocksDBException e) {
                throw Store.unavailable("record the bucket size", e);
            }
        } else if (stored != config.bucketMicros()) {
            throw new IllegalArgumentException("the store in " + store.dir + " was created with index.bucket = "
                    + java.time.Duration.ofNanos(stored * 1000) + "; it cannot be opened with " + config.bucket());
        }
    }

    @Override
    public CompletionStage<List<Appended>> write(List<PendingEvent> events, ExpectedVersion expected) {
        if (events.isEmpty()) return CompletableFuture.failedFuture(new IllegalArgumentException("nothing to write"));
        return writer.append(events, expected);
    }

    @Override
    public Optional<Event> get(String id) {
        return read(() -> reads.get(id));
    }

    @Override
    public EventPage query(Query query) {
        return read(() -> reads.query(query));
    }

    @Override
    public AggregatePage readAggregate(AggregateQuery query) {
        return read(() -> reads.readAggregate(query));
    }

    @Override
    public long streamVersion(AggregateId aggregate) {
        return read(() -> reads.streamVersion(aggregate));
    }

    @Override
    public LogPage readLog(Position after, int limit) {
        return read(() -> reads.readLog(after, limit));
    }

    @Override
    public Position logEnd() {
        return read(reads::logEnd);
    }

    /** Events stored (expired ones count until swept) and bytes on disk: SST files plus live WAL files. */
    @Override
    public StoreStats stats() {
        return read(() -> {
            try {
                long sst = store.db.getAggregatedLongProperty("rocksdb.total-sst-files-size");
                long wal = 0;
                for (LogFile f : store.db.getSortedWalFiles()) wal += f.sizeFileBytes();
                return new StoreStats(state.count(), sst + wal);
            } catch (RocksDBException e) {
                throw Store.unavailable("read its size", e);
            }
        });
    }

    /** The named positions, in column family {@code checkpoints}; a put is synced like an append. */
    @Override
    public Checkpoints checkpoints() {
        return new Checkpoints() {
            @Override
            public Optional<Position> get(String name) {
                return read(() -> checkpoints.get(name));
            }

            @Override
            public void put(String name, Position position) {
                read(() -> {
                    checkpoints.put(name, position);
                    return null;
                });
            }

            @Override
            public void delete(String name) {
                read(() -> {
                    checkpoints.delete(name);
                    return null;
                });
            }

            @Override
            public Map<String, Position> list(String prefix) {
                return read(() -> checkpoints.list(prefix));
            }
        };
    }

    /** The key-values, in column family {@code kv} (see {@link StoredKeyValues}); a write is synced like an append. */
    @Override
    public KeyValues keyValues() {
        return new KeyValues() {
            @Override
            public Optional<byte[]> get(String space, String key) {
                return read(() -> keyValues.get(space, key));
            }

            @Override
            public List<Entry> scan(String space, String after, int limit) {
                return read(() -> keyValues.scan(space, after, limit));
            }

            @Override
            public void write(Batch batch) {
                read(() -> {
                    keyValues.write(batch);
                    return null;
                });
            }

            @Override
            public boolean compareAndSet(String space, String key, byte[] expected, byte[] value, Duration ttl) {
                return read(() -> keyValues.compareAndSet(space, key, expected, value, ttl));
            }
        };
    }

    /**
     * Writes a RocksDB checkpoint of the store, consistent at one moment, into {@code target} (which must not exist)
     * while the store keeps serving. Files are hard-linked where the file system allows. To restore, open the
     * checkpoint directory (or a copy of it) as a data directory.
     */
    @Override
    public void backupTo(Path target) {
        if (Files.exists(target)) throw new IllegalArgumentException("the backup target " + target + " exists already");
        read(() -> {
            try (Checkpoint checkpoint = Checkpoint.create(store.db)) {
                checkpoint.createCheckpoint(target.toAbsolutePath().toString());
                return null;
            } catch (RocksDBException e) {
                throw Store.unavailable("write a checkpoint to " + target, e);
            }
        });
    }

    /**
     * Deletes every event expired by now, and the expired key-values of the next chunk of {@code kv} (the background
     * sweep does this every {@code ttl.sweep-interval}). Returns the number of events deleted.
     */
    public int sweepExpired() {
        if (closed) throw closedError();
        try {
            int removed = writer.sweep().join();
            read(keyValues::sweep);
            return removed;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    private void sweepQuietly() {
        try {
            int removed = writer.sweep().join();
            if (removed > 0) LOG.debug("swept {} expired events", removed);
            int entries = read(keyValues::sweep);
            if (entries > 0) LOG.debug("swept {} expired key-values", entries);
        } catch (RuntimeException e) {
            if (!closed) LOG.warn("the expiry sweep failed; it will run again", e);
        }
    }

    private <T> T read(Supplier<T> body) {
        ReentrantReadWriteLock.ReadLock lock = guard.readLock();
        lock.lock();
        try {
            if (closed) throw closedError();
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    private static StoreUnavailableException closedError() {
        return new StoreUnavailableException("the store is closed", null);
    }

    /** Writes what is queued, stops the writer and the sweep, and closes RocksDB. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        if (sweeper != null) sweeper.shutdownNow();
        writer.close();
        guard.writeLock().lock();
        try {
            if (!config.syncEachWrite()) store.db.syncWal();
        } catch (RocksDBException e) {
            LOG.warn("could not sync the WAL on close", e);
        } finally {
            store.close();
            guard.writeLock().unlock();
        }
    }
}
