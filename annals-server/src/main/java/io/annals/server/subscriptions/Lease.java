package io.annals.server.subscriptions;

import io.annals.core.api.Event;
import io.annals.core.api.Position;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import io.annals.server.subscriptions.SubscriptionException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One partition held by one consumer: a subscription to the log from the partition's checkpoint that keeps the
 * partition's events, remembers them as pending until acknowledged and hands them to the consumer. At most
 * {@code maxInFlight} events are pending: then the reader waits for acknowledgements. Acknowledgements are
 * cumulative (a position acknowledges every event of the partition delivered up to it) and written to the store
 * before they are answered. Revoked when the partition moves: the next holder starts again from the checkpoint.
 *
 * <p>The partition's lease in the store ({@code token}, taken with a compare-and-set and a time to live) is renewed
 * by the group; events are handed out only while the last renewal is fresh ({@link #renewed}), so that a server cut
 * off from the store stops delivering before its lease lapses there and another server takes the partition.
 */
final class Lease implements SubscriptionListener {
    private record Pending(Position position, Instant captured) {}

    private final Group group;
    final int partition;
    final DurableConsumer owner;
    /** This lease's value in the store: unique to this holding of the partition. */
    final byte[] token;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Position checkpoint;
    private Position lastAck;
    private long pendingSinceNanos;
    private long checkpointedNanos = System.nanoTime();
    private boolean revoked;
    /** Events are delivered only before this (System.nanoTime), set by each renewal of the lease in the store. */
    private volatile long validUntilNanos;
    private volatile Subscription reader;

    Lease(Group group, int partition, DurableConsumer owner, Position checkpoint, byte[] token, long validUntilNanos) {
        this.group = group;
        this.partition = partition;
        this.owner = owner;
        this.checkpoint = checkpoint;
        this.token = token;
        this.validUntilNanos = validUntilNanos;
    }

    /** The lease was renewed in the store: delivery may go on until {@code validUntilNanos}. */
    void renewed(long validUntilNanos) {
        this.validUntilNanos = validUntilNanos;
    }

    long validUntilNanos() {
        return validUntilNanos;
    }

    /** True while the last renewal is fresh enough to deliver (the lease has not lapsed in the store). */
    boolean valid() {
        return validUntilNanos - System.nanoTime() > 0;
    }

    void start() {
        reader = group.store().subscribe(checkpoint, group.spec().filter(), this);
    }

    @Override
    public void onEvent(Event event) throws Exception {
        if (group.spec().partitionOf(event) != partition) return;
        lock.lockInterruptibly();
        try {
            while (pending.size() >= group.options().maxInFlight() && !revoked) notFull.await();
            if (revoked) return;
            if (pending.isEmpty()) pendingSinceNanos = System.nanoTime();
            pending.add(new Pending(event.position(), event.processedAt()));
        } finally {
            lock.unlock();
        }
        owner.deliver(this, partition, event);
    }

    /** With nothing pending, every event up to {@code position} is done: the checkpoint may move there. */
    @Override
    public void onProgress(Position position, boolean caughtUp) {
        lock.lock();
        try {
            long now = System.nanoTime();
            if (revoked || !pending.isEmpty() || position.equals(checkpoint)
                    || now - checkpointedNanos < group.options().checkpointInterval().toNanos()) return;
            group.writeCheckpoint(partition, position);
            checkpoint = position;
            checkpointedNanos = now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onClosed(Throwable failure) {
        if (failure != null) group.leaveLater(owner, "reading partition " + partition + " failed: " + failure);
    }

    void ack(Position position) {
        lock.lock();
        try {
            if (revoked)
                throw new SubscriptionException(Reason.NOT_ASSIGNED, "partition " + partition + " has moved to another"
                        + " consumer; its unacknowledged events are delivered again there");
            int upTo = 0;
            for (Iterator<Pending> it = pending.iterator(); it.hasNext(); upTo++) {
                if (it.next().position().equals(position)) break;
            }
            if (upTo == pending.size()) {
                if (position.equals(lastAck)) return; // a repeated acknowledgement
                throw new SubscriptionException(Reason.NOT_PENDING, "position " + position + " is not pending on partition "
                        + partition + " for consumer " + owner.consumerId() + ": acknowledge a position delivered on that"
                        + " partition (the last one acknowledges all before it)");
            }
            group.writeCheckpoint(partition, position);
            for (int i = 0; i <= upTo; i++) pending.removeFirst();
            checkpoint = position;
            lastAck = position;
            checkpointedNanos = System.nanoTime();
            pendingSinceNanos = checkpointedNanos;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        group.acknowledged();
    }

    /** True when events are pending and none was acknowledged for {@code timeout}. */
    boolean stalled(Duration timeout) {
        lock.lock();
        try {
            return !pending.isEmpty() && System.nanoTime() - pendingSinceNanos > timeout.toNanos();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the reader; acknowledgements are refused from now on. Not to be called from the reader's thread. Taken
     * between two of the consumer's listener calls, so that closing the reader (which interrupts its thread) never
     * interrupts a listener in the middle of an event, such as an HTTP stream in the middle of a write.
     */
    void revoke() {
        synchronized (owner.calls()) {
            lock.lock();
            try {
                revoked = true;
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
        }
        Subscription r = reader;
        if (r != null) r.close();
    }

    /** True once revoked; read by the owner between listener calls. */
    boolean revoked() {
        lock.lock();
        try {
            return revoked;
        } finally {
            lock.unlock();
        }
    }

    int pending() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    Position checkpoint() {
        lock.lock();
        try {
            return checkpoint;
        } finally {
            lock.unlock();
        }
    }

    Duration lag(Instant now) {
        Instant oldest;
        lock.lock();
        try {
            oldest = pending.isEmpty() ? null : pending.peekFirst().captured();
        } finally {
            lock.unlock();
        }
        if (oldest == null) {
            Subscription r = reader;
            return r == null ? Duration.ZERO : r.lag();
        }
        Duration d = Duration.between(oldest, now);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
