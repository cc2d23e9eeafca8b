package io.annals.core.api;

import java.time.Duration;

/**
 * A running subscription to the global log ({@link EventStore#subscribe}). It delivers the log's events after its
 * starting position to its {@link SubscriptionListener}, history first and then live events, each matching event
 * exactly once and in capture order, until it is closed. Thread-safe.
 */
public interface Subscription extends AutoCloseable {

    /** The position of the last event delivered or passed over (filtered out); the starting position at first. */
    Position position();

    /** True when the last read of the log found nothing newer: the subscription is live, not catching up. */
    boolean isLive();

    /** How many events were delivered to the listener so far. */
    long delivered();

    /**
     * How far behind the head of the log the subscription is, as time: zero when {@link #isLive() live}, otherwise
     * the time since the capture ({@link Event#processedAt()}) of the last event delivered or passed over.
     */
    Duration lag();

    /** True once the subscription has ended (closed, or ended by a failure). */
    boolean isClosed();

    /**
     * Stops the subscription: no event is delivered after this returns, and the listener's
     * {@link SubscriptionListener#onClosed} has been called (unless this is called from the listener itself, in
     * which case the subscription ends when the listener returns). A delivery in progress is interrupted.
     * Idempotent.
     */
    @Override
    void close();
}
