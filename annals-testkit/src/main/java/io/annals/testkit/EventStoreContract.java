package io.annals.testkit;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.StorageEngine;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

/**
 * The storage contract every engine passes. Extend it in an engine's tests and implement {@link #openEngine}:
 * <pre>{@code
 * class RocksDbContractTest extends EventStoreContract {
 *     @TempDir Path dir;
 *     protected StorageEngine openEngine(Clock clock) { return RocksDbEngine.open(dir, clock); }
 *     protected StorageEngine reopenEngine(Clock clock) { return RocksDbEngine.open(dir, clock); }
 * }
 * }</pre>
 * Each test gets a fresh, empty engine and a {@link MutableClock} that starts at 2026-03-01T09:15:30.123456Z and
 * moves only when the test moves it; the engine must use that clock for TTL, and the facade
 * ({@link EventStores#open(StorageEngine, Clock)}) uses it for capture times. The store is closed after each test.
 * Tests go through the public {@link EventStore} API, so they check the facade and the engine together.
 * <p>
 * The areas (one nested class each) are: appending, idempotency, atomic batches, expected versions, aggregate
 * histories, queries, paging across buckets, the global log, TTL, concurrency, payload fidelity, lifecycle and
 * durability across a restart (skipped unless {@link #reopenEngine} is implemented).
 * Each test is bounded by a generous timeout so that an engine that loops forever fails instead of hanging the build;
 * it is not a performance bound.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class EventStoreContract {
    private MutableClock clock;
    private EventStore store;

    /** Opens a fresh, empty engine whose TTL checks read {@code clock}. Called once before each test. */
    protected abstract StorageEngine openEngine(Clock clock);

    /**
     * Opens again the data of the engine last opened (which the contract has closed), as after a restart.
     * Engines that keep nothing across a restart leave this as is: the durability tests are then skipped.
     */
    protected StorageEngine reopenEngine(Clock clock) {
        throw new UnsupportedOperationException("this engine does not reopen its data");
    }

    /**
     * Called before each read of the global log. Engines whose log is read behind a settle delay (a watermark,
     * as on Cassandra) wait here until the events appended so far are past it; the default returns at once.
     * The engine under test is the last one {@link #openEngine} or {@link #reopenEngine} returned.
     */
    protected void awaitLogSettled() {}

    @BeforeEach
    void openStore() {
        clock = MutableClock.at(ContractSupport.START);
        store = EventStores.open(openEngine(clock), clock);
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    private final StoreFixture fixture = new StoreFixture() {
        @Override
        public EventStore store() {
            return store;
        }

        @Override
        public MutableClock clock() {
            return clock;
        }

        @Override
        public EventStore reopen() {
            store.close();
            store = null;
            StorageEngine engine;
            try {
                engine = reopenEngine(clock);
            } catch (UnsupportedOperationException e) {
                Assumptions.abort("reopening is not supported: " + e.getMessage());
                throw e;
            }
            store = EventStores.open(engine, clock);
            return store;
        }

        @Override
        public void awaitLogSettled() {
            EventStoreContract.this.awaitLogSettled();
        }
    };

    @Nested
    class Appending extends AppendContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class Idempotency extends IdempotencyContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class AtomicBatches extends AtomicityContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class ExpectedVersions extends ExpectedVersionContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class AggregateHistories extends AggregateHistoryContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class Queries extends QueryContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class QueryPaging extends QueryPagingContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class GlobalLog extends LogContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class TimeToLive extends TtlContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class Concurrency extends ConcurrencyContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class Payloads extends PayloadContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class Lifecycle extends LifecycleContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }

    @Nested
    class Durability extends DurabilityContract {
        @Override
        protected StoreFixture fixture() {
            return fixture;
        }
    }
}
