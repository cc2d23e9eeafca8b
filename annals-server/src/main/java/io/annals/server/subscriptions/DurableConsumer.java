package io.annals.server.subscriptions;

import io.annals.core.api.Event;
import io.annals.core.api.Position;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A consumer's membership in a durable subscription ({@link DurableSubscriptions#join}): it holds some partitions
 * and receives their events through its {@link DurableListener} until it is closed. Thread-safe.
 */
public final class DurableConsumer implements AutoCloseable {
    private final Group group;
    private final String consumerId;
    private final DurableListener listener;
    /** Serialises the listener's calls. */
    private final Object calls = new Object();
    private final AtomicLong delivered = new AtomicLong();
    private volatile SortedSet<Integer> partitions = Collections.emptySortedSet();
    private volatile boolean closed;

    DurableConsumer(Group group, String consumerId, DurableListener listener) {
        this.group = group;
        this.consumerId = consumerId;
        this.listener = listener;
    }

    public String subscription() {
        return group.name();
    }

    public String consumerId() {
        return consumerId;
    }

    /** The partitions held now (they change when consumers join or leave). */
    public SortedSet<Integer> partitions() {
        return partitions;
    }

    /** Events handed to the listener so far. */
    public long delivered() {
        return delivered.get();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Acknowledges {@code position} on {@code partition} and every event of that partition delivered before it: the
     * checkpoint is stored before this returns, so a restart resumes after it. Acknowledging the last position
     * acknowledged again does nothing.
     *
     * @throws SubscriptionException NOT_A_MEMBER once closed, NOT_ASSIGNED when the partition is not held (any
     *                               more), NOT_PENDING when {@code position} was not delivered on the partition
     * @throws IllegalArgumentException when the partition does not exist
     */
    public void ack(int partition, Position position) {
        group.ack(this, partition, position);
    }

    /** Leaves the subscription: the partitions move to the other consumers. Idempotent. */
    @Override
    public void close() {
        group.leave(this, "closed by the consumer");
    }

    void assign(SortedSet<Integer> now) {
        if (now.equals(partitions)) return;
        partitions = Collections.unmodifiableSortedSet(new TreeSet<>(now));
        synchronized (calls) {
            if (!closed) listener.onAssigned(partitions);
        }
    }

    /** The lock that serialises the listener's calls (a lease is revoked only between two of them). */
    Object calls() {
        return calls;
    }

    /** Hands an event of {@code lease} to the listener; a listener that throws makes the consumer leave. */
    void deliver(Lease lease, int partition, Event event) throws InterruptedException {
        synchronized (calls) {
            // a lease not renewed in time may have lapsed in the store: wait (the monitor free) until it is renewed
            // or revoked, so that two servers never deliver one partition at once
            while (!closed && !lease.revoked() && !lease.valid()) calls.wait(20);
            if (closed || lease.revoked()) return; // the next holder of the partition gets it
            try {
                listener.onEvent(this, partition, event);
                delivered.incrementAndGet();
                group.delivered();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                closed = true; // deliver nothing more; the group removes it on another thread
                group.leaveLater(this, "the listener failed on an event of partition " + partition + ": " + e);
            }
        }
    }

    /** Marks the consumer closed (nothing more is delivered); the group revokes its partitions next. */
    void markClosed() {
        closed = true;
    }

    /** The listener's last call, once the partitions are revoked. */
    void ended(String reason) {
        synchronized (calls) {
            try {
                listener.onClosed(reason);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(DurableConsumer.class).warn("a durable listener failed on close", e);
            }
        }
    }
}
