package io.annals.core.api;

/**
 * Receives the events of a subscription ({@link EventStore#subscribe}). Every method is called on the
 * subscription's own thread, one call at a time, never concurrently: a listener needs no locking of its own.
 * A call that blocks holds back only this subscription (it falls behind and catches up from the store later);
 * appends and other subscriptions go on. A listener that blocks should respond to interruption, which is how
 * {@link Subscription#close()} stops a delivery in progress.
 */
public interface SubscriptionListener {

    /**
     * One event, in capture order; {@link Event#position()} is where to resume after it. Throwing ends the
     * subscription: {@link #onClosed} then receives what was thrown.
     */
    void onEvent(Event event) throws Exception;

    /**
     * Called after each read of the log that moved the subscription on (once its events were delivered), and once
     * when a read finds the subscription at the head of the log. {@code position} is where the subscription continues
     * from, possibly past events the filter left out: resuming from it skips them without reading them again.
     * {@code caughtUp} is true when the read found nothing newer (the subscription is live). A good place to flush
     * a buffer. Throwing ends the subscription like {@link #onEvent}.
     */
    default void onProgress(Position position, boolean caughtUp) throws Exception {}

    /**
     * The last call, made exactly once: {@code failure} is null when the subscription was closed (by
     * {@link Subscription#close()} or by closing the store), otherwise what ended it (the listener threw, or the
     * store failed in a way retrying cannot fix).
     */
    default void onClosed(Throwable failure) {}
}
