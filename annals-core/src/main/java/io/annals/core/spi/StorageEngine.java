package io.annals.core.spi;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Appended;
import io.annals.core.api.Checkpoints;
import io.annals.core.api.EventPage;
import io.annals.core.api.Event;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreStats;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A storage engine. Requests arrive validated; the engine owns atomicity, durability, deduplication by id,
 * the expected-version check, positions, stream versions, ordering and TTL filtering. The contract is the one of
 * {@link io.annals.core.api.EventStore}; see the contract suite in {@code annals-testkit}.
 */
public interface StorageEngine extends AutoCloseable {

    /**
     * Writes all events or none. For an event whose id is stored already: same content gives a {@code duplicate}
     * entry pointing at the stored event; different content fails the whole write with
     * {@link io.annals.core.api.DuplicateIdConflictException}. With an expected version other than any, all events
     * share one aggregate, checked before anything is written ({@link io.annals.core.api.WrongExpectedVersionException}).
     * Duplicates are resolved first: when every event is a duplicate the answer is all duplicates whatever the
     * expected version (a retry of a stored append succeeds); when any event is new, the version check applies.
     */
    CompletionStage<List<Appended>> write(List<PendingEvent> events, ExpectedVersion expected);

    /**
     * {@link #write}, for a caller that waits for the answer anyway: an engine whose writes block a thread runs it
     * on the caller's (no hand-off to a pool and back). Fails with the exceptions {@link #write} completes with.
     */
    default List<Appended> writeAndWait(List<PendingEvent> events, ExpectedVersion expected) {
        try {
            return write(events, expected).toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    Optional<Event> get(String id);

    EventPage query(Query query);

    AggregatePage readAggregate(AggregateQuery query);

    long streamVersion(AggregateId aggregate);

    LogPage readLog(Position after, int limit);

    /**
     * The position of the last event readable in the log now ({@link Position#start()} when there is none), so that
     * a read after it sees only later events. The default reads the whole log; engines override it with a look-up.
     */
    default Position logEnd() {
        Position p = Position.start();
        while (true) {
            LogPage page = readLog(p, 10_000);
            if (page.next().equals(p)) return p;
            p = page.next();
        }
    }

    StoreStats stats();

    /**
     * The named positions kept by this engine, durable like its events. The contract is
     * {@code CheckpointsContract} in {@code annals-testkit}.
     * @throws UnsupportedOperationException when the engine keeps none
     */
    default Checkpoints checkpoints() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no checkpoints");
    }

    /**
     * The key-value store kept beside the events (view state, snapshots, handled ids, leases), durable like them.
     * The contract is {@code KeyValuesContract} in {@code annals-testkit}.
     * @throws UnsupportedOperationException when the engine keeps none
     */
    default io.annals.core.api.KeyValues keyValues() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no key-values");
    }

    @Override
    void close();
}
