package io.annals.core.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The event store. Thread-safe: any number of threads may append and read at once.
 * <ul>
 *   <li>An append is atomic and durable before its stage completes (per the engine's sync policy).</li>
 *   <li>Aggregate histories and queries are ordered by event time, then by id (its UTF-8 bytes, unsigned).</li>
 *   <li>The global log ({@link #readLog}) is in capture order.</li>
 *   <li>Expired events (past {@code processedAt + ttl}) are absent from every read.</li>
 * </ul>
 * Errors are {@link AnnalsException}s; bad arguments are {@link IllegalArgumentException}s.
 * Obtain one with {@code EventStores.open(engine)} from {@code io.annals.core.api}.
 */
public interface EventStore extends AutoCloseable {

    /**
     * Appends atomically. Fails with {@link WrongExpectedVersionException}, {@link DuplicateIdConflictException},
     * {@link InvalidEventException} or {@link StoreUnavailableException}; on failure nothing was written.
     * Events are deduplicated by id before the expected version is checked, so a retry of an append that was
     * stored (every event a duplicate) answers duplicates even though its expected version is stale by then.
     * The stage may complete on a thread of the storage engine (the Cassandra driver's I/O threads, RocksDB's
     * completion thread): give a stage that blocks an executor of its own ({@code thenApplyAsync(f, executor)}).
     */
    CompletionStage<AppendResult> appendAsync(AppendRequest request);

    /** Blocking form of {@link #appendAsync}. */
    default AppendResult append(AppendRequest request) {
        try {
            return appendAsync(request).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    default AppendResult append(NewEvent... events) {
        return append(AppendRequest.of(events));
    }

    default AppendResult append(List<NewEvent> events) {
        return append(AppendRequest.of(events));
    }

    Optional<Event> get(String id);

    EventPage query(Query query);

    AggregatePage readAggregate(AggregateQuery query);

    /** The current version of an aggregate's stream: the number of events appended to it, 0 if none. */
    long streamVersion(AggregateId aggregate);

    /**
     * Up to {@code limit} events strictly after {@code after} in capture order. {@link Position#end()} reads
     * after the head of the log as it is now (nothing, unless events arrive meanwhile), and its page's {@code next}
     * is that head.
     */
    LogPage readLog(Position after, int limit);

    /**
     * Delivers to {@code listener}, on a thread of the subscription's own, every event of the global log strictly
     * after {@code from} that {@code filter} matches: the history first, then live events as they are appended, with
     * no gap and no repeat between the two. Each aggregate's events arrive in append order; all events in capture
     * order. A slow listener only falls behind: it never blocks appends, and the subscription holds at most one page
     * of events in memory. Events appended after this returns are delivered (on an engine with a settle delay,
     * once they are past it). {@link Position#end()} starts at the head: only later events.
     *
     * @throws IllegalArgumentException when {@code from} is not a position of this store (checked at once)
     * @throws UnsupportedOperationException when this store cannot subscribe
     */
    default Subscription subscribe(Position from, LogFilter filter, SubscriptionListener listener) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot subscribe");
    }

    StoreStats stats();

    /**
     * The named positions this store keeps (subscription checkpoints, the relay's place).
     * @throws UnsupportedOperationException when this store keeps none
     */
    default Checkpoints checkpoints() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no checkpoints");
    }

    /**
     * The key-value store kept beside the events (view state, snapshots, handled ids, leases), durable like them.
     * @throws UnsupportedOperationException when the store keeps none
     */
    default KeyValues keyValues() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no key-values");
    }

    @Override
    void close();
}
