package io.annals.server.subscriptions;

import io.annals.core.api.Event;
import java.util.SortedSet;

/**
 * Receives what a consumer of a durable subscription is given ({@link DurableSubscriptions#join}). Calls are made
 * one at a time, never concurrently, from the threads that read the partitions: a slow listener holds back only
 * its own partitions. A listener must not close its consumer from inside a call.
 */
public interface DurableListener {

    /**
     * The partitions this consumer holds now: called when it joins and after every rebalance that changes them,
     * before any event of a partition newly given to it.
     */
    default void onAssigned(SortedSet<Integer> partitions) {}

    /**
     * One event of {@code partition}; each partition's events arrive in log order (so each aggregate's in append
     * order). Acknowledge with {@code consumer.}{@link DurableConsumer#ack ack} (the consumer is passed in because
     * events may arrive before {@link DurableSubscriptions#join} has returned it). An event not acknowledged when its partition moves to
     * another consumer (or the server restarts) is delivered again: at least once. Throwing makes the consumer
     * leave: its partitions move to the other consumers and {@link #onClosed} is called.
     */
    void onEvent(DurableConsumer consumer, int partition, Event event) throws Exception;

    /** The last call: {@code reason} says why the consumer ended (closed, replaced, timed out, deleted, stopping). */
    default void onClosed(String reason) {}
}
