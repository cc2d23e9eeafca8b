package io.annals.testkit;

import io.annals.core.api.EventStore;

/** What each area of the contract works with: the store under test (fresh per test) and the clock it runs on. */
interface StoreFixture {
    EventStore store();

    MutableClock clock();

    /**
     * Closes the store and opens the same data again, as after a restart; aborts the test (skipped, not failed)
     * when the engine does not support reopening.
     */
    EventStore reopen();

    /** Returns once every appended event is visible in the global log (see {@link EventStoreContract#awaitLogSettled}). */
    default void awaitLogSettled() {}
}
