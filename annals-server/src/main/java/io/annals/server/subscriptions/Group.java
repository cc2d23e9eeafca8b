package io.annals.server.subscriptions;

import io.annals.core.api.EventStore;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.server.subscriptions.SubscriptionException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The consumers of one durable subscription and who holds which partition. Partition {@code p} goes to the
 * {@code p mod n}-th of the {@code n} consumers sorted by id; every join or leave rebalances, revoking the leases
 * that move (their readers stop) before starting the new ones from the stored checkpoints. Membership changes are
 * serialised by one lock that the partitions' reader threads never take.
 */
final class Group {
    private final DurableSubscriptions owner;
    private final String name;
    private final SubscriptionSpec spec;
    private final Object membership = new Object();
    private final TreeMap<String, DurableConsumer> members = new TreeMap<>();
    private final AtomicReferenceArray<Lease> leases;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private boolean ended;

    Group(DurableSubscriptions owner, String name, SubscriptionSpec spec) {
        this.owner = owner;
        this.name = name;
        this.spec = spec;
        this.leases = new AtomicReferenceArray<>(spec.partitions());
    }

    String name() {
        return name;
    }

    SubscriptionSpec spec() {
        return spec;
    }

    EventStore store() {
        return owner.store();
    }

    DurableSubscriptions.Options options() {
        return owner.options();
    }

    DurableConsumer join(String consumerId, DurableListener listener) {
        DurableConsumer consumer = new DurableConsumer(this, consumerId, listener);
        DurableConsumer replaced;
        synchronized (membership) {
            if (ended) throw new SubscriptionException(Reason.NOT_FOUND, "subscription '" + name + "' was deleted");
            replaced = members.put(consumerId, consumer);
            if (replaced != null) replaced.markClosed();
            rebalance();
        }
        if (replaced != null) replaced.ended("replaced by a new connection of consumer " + consumerId);
        return consumer;
    }

    void leave(DurableConsumer consumer, String reason) {
        synchronized (membership) {
            if (members.get(consumer.consumerId()) != consumer) return;
            members.remove(consumer.consumerId());
            consumer.markClosed();
            rebalance();
        }
        consumer.ended(reason);
    }

    /** Leaves on another thread: for calls made on a partition's reader thread, which a rebalance waits for. */
    void leaveLater(DurableConsumer consumer, String reason) {
        owner.later(() -> leave(consumer, reason));
    }

    /** Ends every consumer (the subscription is deleted, or the server stops); joins are refused afterwards. */
    void end(String reason) {
        List<DurableConsumer> gone;
        synchronized (membership) {
            ended = true;
            gone = new ArrayList<>(members.values());
            members.clear();
            gone.forEach(DurableConsumer::markClosed);
            rebalance();
        }
        for (DurableConsumer c : gone) c.ended(reason);
    }

    private void rebalance() {
        List<DurableConsumer> order = new ArrayList<>(members.values());
        DurableConsumer[] holders = new DurableConsumer[spec.partitions()];
        for (int p = 0; p < holders.length; p++) holders[p] = order.isEmpty() ? null : order.get(p % order.size());
        for (int p = 0; p < holders.length; p++) {
            Lease lease = leases.get(p);
            if (lease != null && lease.owner != holders[p]) {
                lease.revoke();
                leases.set(p, null);
            }
        }
        for (DurableConsumer c : order) {
            SortedSet<Integer> held = new TreeSet<>();
            for (int p = 0; p < holders.length; p++) if (holders[p] == c) held.add(p);
            c.assign(held);
        }
        for (int p = 0; p < holders.length; p++) {
            if (holders[p] == null || leases.get(p) != null) continue;
            Lease lease = new Lease(this, p, holders[p], checkpoint(p));
            leases.set(p, lease);
            lease.start();
        }
    }

    void ack(DurableConsumer consumer, int partition, Position position) {
        if (partition < 0 || partition >= spec.partitions())
            throw new IllegalArgumentException("partition must be 0 to " + (spec.partitions() - 1) + ", not " + partition);
        if (consumer.isClosed())
            throw new SubscriptionException(Reason.NOT_A_MEMBER, "consumer " + consumer.consumerId()
                    + " has left subscription '" + name + "'; its partitions moved to the other consumers");
        Lease lease = leases.get(partition);
        if (lease == null || lease.owner != consumer)
            throw new SubscriptionException(Reason.NOT_ASSIGNED, "partition " + partition + " of subscription '" + name
                    + "' is not held by consumer " + consumer.consumerId() + "; it holds " + consumer.partitions());
        lease.ack(position);
    }

    /** Removes consumers that let events wait unacknowledged longer than {@code timeout}. */
    void expire(Duration timeout) {
        for (int p = 0; p < spec.partitions(); p++) {
            Lease lease = leases.get(p);
            if (lease != null && lease.stalled(timeout))
                leave(lease.owner, "no acknowledgement on partition " + p + " for " + timeout + " (session timeout)");
        }
    }

    DurableConsumer member(String consumerId) {
        synchronized (membership) {
            return members.get(consumerId);
        }
    }

    static String checkpointName(String subscription, int partition) {
        return DurableSubscriptions.PREFIX + subscription + "/" + partition;
    }

    private Position checkpoint(int partition) {
        return store().checkpoints().get(checkpointName(name, partition)).orElse(spec.from());
    }

    void writeCheckpoint(int partition, Position position) {
        store().checkpoints().put(checkpointName(name, partition), position);
    }

    void delivered() {
        delivered.incrementAndGet();
    }

    void acknowledged() {
        acknowledged.incrementAndGet();
    }

    /** Events pending over all partitions, without reading the store (for meters). */
    int pendingCount() {
        int n = 0;
        for (int p = 0; p < spec.partitions(); p++) {
            Lease lease = leases.get(p);
            if (lease != null) n += lease.pending();
        }
        return n;
    }

    int consumerCount() {
        synchronized (membership) {
            return members.size();
        }
    }

    long deliveredCount() {
        return delivered.get();
    }

    long acknowledgedCount() {
        return acknowledged.get();
    }

    SubscriptionStatus status() {
        Instant now = Instant.now();
        List<SubscriptionStatus.PartitionStatus> partitions = new ArrayList<>();
        for (int p = 0; p < spec.partitions(); p++) {
            Lease lease = leases.get(p);
            if (lease != null) {
                partitions.add(new SubscriptionStatus.PartitionStatus(p, lease.checkpoint(), lease.owner.consumerId(),
                        lease.pending(), lease.lag(now)));
            } else {
                Position cp = checkpoint(p);
                partitions.add(new SubscriptionStatus.PartitionStatus(p, cp, null, 0, idleLag(cp, now)));
            }
        }
        List<SubscriptionStatus.ConsumerStatus> consumers = new ArrayList<>();
        synchronized (membership) {
            for (DurableConsumer c : members.values())
                consumers.add(new SubscriptionStatus.ConsumerStatus(c.consumerId(), c.partitions(), c.delivered()));
        }
        return new SubscriptionStatus(name, spec, List.copyOf(partitions), List.copyOf(consumers));
    }

    /** The age of the first event after {@code checkpoint}, whichever partition it belongs to: an upper bound. */
    private Duration idleLag(Position checkpoint, Instant now) {
        LogPage next = store().readLog(checkpoint, 1);
        if (next.events().isEmpty()) return Duration.ZERO;
        Duration d = Duration.between(next.events().get(0).processedAt(), now);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
