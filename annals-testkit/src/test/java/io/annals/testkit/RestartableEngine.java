package io.annals.testkit;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Appended;
import io.annals.core.api.Checkpoints;
import io.annals.core.api.KeyValues;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreStats;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.spi.PendingEvent;
import io.annals.core.spi.StorageEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A view of an engine whose {@link #close()} closes only the view, so that a new view over the same engine plays
 * the part of a restarted engine. Lets the in-memory engine run the durability part of the contract.
 */
final class RestartableEngine implements StorageEngine {
    private final StorageEngine engine;
    private volatile boolean closed;

    RestartableEngine(StorageEngine engine) {
        this.engine = engine;
    }

    private void ensureOpen() {
        if (closed) throw new StoreUnavailableException("the store is closed", null);
    }

    @Override
    public CompletionStage<List<Appended>> write(List<PendingEvent> events, ExpectedVersion expected) {
        if (closed) return CompletableFuture.failedFuture(new StoreUnavailableException("the store is closed", null));
        return engine.write(events, expected);
    }

    @Override
    public Optional<Event> get(String id) {
        ensureOpen();
        return engine.get(id);
    }

    @Override
    public EventPage query(Query query) {
        ensureOpen();
        return engine.query(query);
    }

    @Override
    public AggregatePage readAggregate(AggregateQuery query) {
        ensureOpen();
        return engine.readAggregate(query);
    }

    @Override
    public long streamVersion(AggregateId aggregate) {
        ensureOpen();
        return engine.streamVersion(aggregate);
    }

    @Override
    public LogPage readLog(Position after, int limit) {
        ensureOpen();
        return engine.readLog(after, limit);
    }

    @Override
    public StoreStats stats() {
        ensureOpen();
        return engine.stats();
    }

    @Override
    public Checkpoints checkpoints() {
        Checkpoints kept = engine.checkpoints();
        return new Checkpoints() {
            @Override
            public Optional<Position> get(String name) {
                ensureOpen();
                return kept.get(name);
            }

            @Override
            public void put(String name, Position position) {
                ensureOpen();
                kept.put(name, position);
            }

            @Override
            public void delete(String name) {
                ensureOpen();
                kept.delete(name);
            }

            @Override
            public Map<String, Position> list(String prefix) {
                ensureOpen();
                return kept.list(prefix);
            }
        };
    }

    @Override
    public KeyValues keyValues() {
        KeyValues kept = engine.keyValues();
        return new KeyValues() {
            @Override
            public Optional<byte[]> get(String space, String key) {
                ensureOpen();
                return kept.get(space, key);
            }

            @Override
            public List<Entry> scan(String space, String after, int limit) {
                ensureOpen();
                return kept.scan(space, after, limit);
            }

            @Override
            public void write(Batch batch) {
                ensureOpen();
                kept.write(batch);
            }

            @Override
            public boolean compareAndSet(String space, String key, byte[] expected, byte[] value, Duration ttl) {
                ensureOpen();
                return kept.compareAndSet(space, key, expected, value, ttl);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
    }
}
