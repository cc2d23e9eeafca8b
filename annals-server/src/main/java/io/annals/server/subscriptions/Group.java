package io.annals.server.subscriptions;

import io.annals.core.api.EventStore;
import io.annals.core.api.KeyValues;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.server.subscriptions.SubscriptionException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumers of one durable subscription and who holds which partition, agreed between the servers sharing the
 * store through its {@link KeyValues} (space {@code subscription/<name>}):
 * <ul>
 * <li>each server registers its consumers as {@code member/<consumer id>} with a time to live, renewed every third of
 *     it, so a server that stops or loses the store drops out when it lapses;</li>
 * <li>every server computes the same assignment from the sorted list of live members: partition {@code p} goes to the
 *     {@code p mod n}-th of the {@code n} members;</li>
 * <li>a server reads and delivers a partition only while it holds the partition's lease {@code lease/<p>}, taken and
 *     renewed by compare-and-set with the same time to live and released when the assignment moves it away; it stops
 *     delivering when a renewal is overdue, a third of the time to live before the lease can lapse in the store, so
 *     two consumers never hold a partition at once: the old holder stops before the new one starts.</li>
 * </ul>
 * Joins and leaves in this process rebalance at once; changes on other servers are seen at the next periodic
 * {@link #sync}. Membership changes are serialised by one lock that the partitions' reader threads never take.
 */
final class Group {
    private static final Logger LOG = LoggerFactory.getLogger(Group.class);
    private static final String MEMBER = "member/";
    private static final String LEASE = "lease/";

    private final DurableSubscriptions owner;
    private final String name;
    private final SubscriptionSpec spec;
    private final String space;
    private final Object membership = new Object();
    private final TreeMap<String, DurableConsumer> members = new TreeMap<>();
    private final AtomicReferenceArray<Lease> leases;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();
    private boolean ended;

    Group(DurableSubscriptions owner, String name, SubscriptionSpec spec) {
        this.owner = owner;
        this.name = name;
        this.spec = spec;
        this.space = DurableSubscriptions.PREFIX + name;
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

    private KeyValues kv() {
        return owner.keyValues();
    }

    private Duration ttl() {
        return owner.options().leaseTtl();
    }

    /**
     * The time to live written to the store: a second more than the lease time to live, as a store may count it in
     * whole seconds from a time truncated to the second (Cassandra's {@code USING TTL} can drop a row up to a second
     * early), and deliveries here stop by the lease time to live measured from before each renewal.
     */
    private Duration storeTtl() {
        return ttl().plusSeconds(1);
    }

    DurableConsumer join(String consumerId, DurableListener listener) {
        DurableConsumer consumer = new DurableConsumer(this, consumerId, listener);
        DurableConsumer replaced;
        synchronized (membership) {
            if (ended) throw new SubscriptionException(Reason.NOT_FOUND, "subscription '" + name + "' was deleted");
            kv().write(new KeyValues.Batch().put(space, MEMBER + consumerId, owner.serverId(), storeTtl())); // or it fails
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
            forget(consumer.consumerId());
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
            for (DurableConsumer c : gone) forget(c.consumerId());
            rebalance();
        }
        for (DurableConsumer c : gone) c.ended(reason);
    }

    /** The periodic round: renews this server's members and leases, and follows joins and leaves on other servers. */
    void sync() {
        synchronized (membership) {
            if (!ended && (!members.isEmpty() || holdsAny())) rebalance();
        }
    }

    /** True while this server has consumers of the subscription or holds one of its leases. */
    boolean active() {
        synchronized (membership) {
            return !members.isEmpty() || holdsAny();
        }
    }

    private boolean holdsAny() {
        for (int p = 0; p < leases.length(); p++) if (leases.get(p) != null) return true;
        return false;
    }

    /** Removes a member of this server from the store; if the store cannot be reached, its entry lapses. */
    private void forget(String consumerId) {
        try {
            kv().delete(space, MEMBER + consumerId);
        } catch (RuntimeException e) {
            LOG.warn("subscription '{}': consumer {} left, its membership lapses in {} ({})", name, consumerId, ttl(), e.toString());
        }
    }

    /**
     * Brings the leases in line with the live members: renews the members of this server, revokes and releases the
     * leases that move away, renews those that stay, takes those newly assigned here when they are free, tells the
     * consumers what they hold and starts reading the new partitions from their checkpoints. A store that cannot be
     * reached leaves things as they are (deliveries pause once the renewals are overdue).
     */
    private void rebalance() {
        List<String> live;
        try {
            live = members.isEmpty() ? List.of() : liveMembers(); // with no consumer here, it only lets go
        } catch (RuntimeException e) {
            LOG.warn("subscription '{}': membership not renewed, the store is unavailable ({})", name, e.toString());
            live = null;
        }
        DurableConsumer[] holders = new DurableConsumer[spec.partitions()];
        for (int p = 0; p < holders.length; p++) {
            if (live == null) {
                Lease lease = leases.get(p); // keep what is held by members still here until the store answers
                holders[p] = lease != null && members.get(lease.owner.consumerId()) == lease.owner ? lease.owner : null;
            } else {
                holders[p] = live.isEmpty() ? null : members.get(live.get(p % live.size()));
            }
        }
        for (int p = 0; p < holders.length; p++) {
            Lease lease = leases.get(p);
            if (lease != null && lease.owner != holders[p]) revoke(p, lease);
        }
        List<Lease> started = new ArrayList<>();
        if (live != null) {
            for (int p = 0; p < holders.length; p++) {
                if (holders[p] == null) continue;
                try {
                    Lease lease = leases.get(p);
                    if (lease != null) renew(p, lease);
                    else take(p, holders[p], started);
                } catch (RuntimeException e) {
                    LOG.warn("subscription '{}': the lease of partition {} was not renewed or taken ({})", name, p, e.toString());
                }
            }
        }
        for (DurableConsumer c : members.values()) {
            SortedSet<Integer> held = new TreeSet<>();
            for (int p = 0; p < holders.length; p++) {
                Lease lease = leases.get(p);
                if (lease != null && lease.owner == c) held.add(p);
            }
            c.assign(held);
        }
        for (Lease lease : started) lease.start();
    }

    /** Renews this server's members, then lists every live member of the subscription, sorted by id. */
    private List<String> liveMembers() {
        KeyValues.Batch heartbeat = new KeyValues.Batch();
        for (String id : members.keySet()) heartbeat.put(space, MEMBER + id, owner.serverId(), storeTtl());
        kv().write(heartbeat);
        List<String> live = new ArrayList<>();
        String after = MEMBER;
        while (true) {
            List<KeyValues.Entry> page = kv().scan(space, after, 1000);
            for (KeyValues.Entry e : page) {
                if (!e.key().startsWith(MEMBER)) return sorted(live);
                live.add(e.key().substring(MEMBER.length()));
            }
            if (page.size() < 1000) return sorted(live);
            after = page.get(page.size() - 1).key();
        }
    }

    private static List<String> sorted(List<String> ids) {
        ids.sort(null);
        return ids;
    }

    /** Delivery may go on until a third of the time to live before the lease can lapse in the store. */
    private long validUntil(long askedAtNanos) {
        return askedAtNanos + ttl().toNanos() * 2 / 3;
    }

    private void take(int p, DurableConsumer holder, List<Lease> started) {
        byte[] token = (holder.consumerId() + "/" + new String(owner.serverId(), StandardCharsets.UTF_8) + "/"
                + tokens.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
        long asked = System.nanoTime();
        if (!kv().compareAndSet(space, LEASE + p, null, token, storeTtl())) return; // still held elsewhere: next round
        Lease lease = new Lease(this, p, holder, checkpoint(p), token, validUntil(asked));
        leases.set(p, lease);
        started.add(lease);
    }

    private void renew(int p, Lease lease) {
        long asked = System.nanoTime();
        if (kv().compareAndSet(space, LEASE + p, lease.token, lease.token, storeTtl())) {
            lease.renewed(validUntil(asked));
        } else {
            long since = System.nanoTime() - (lease.validUntilNanos() - validUntil(0)); // since it was last asked
            LOG.warn("subscription '{}': the lease of partition {} lapsed (last renewed {} ms ago, lease-ttl {}); its"
                    + " unacknowledged events are delivered again from the checkpoint", name, p, since / 1_000_000, ttl());
            revoke(p, lease);
        }
    }

    /** Stops delivering the partition here, then frees its lease in the store for the next holder. */
    private void revoke(int p, Lease lease) {
        lease.revoke();
        leases.set(p, null);
        try {
            kv().compareAndSet(space, LEASE + p, lease.token, null, null);
        } catch (RuntimeException e) {
            LOG.warn("subscription '{}': the lease of partition {} lapses in {} ({})", name, p, ttl(), e.toString());
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

    /**
     * The partitions with their holders on every server (from the leases in the store) and the consumers of every
     * server; pending events, lags and delivered counts are known for this server's consumers only.
     */
    SubscriptionStatus status() {
        Instant now = Instant.now();
        Map<Integer, String> holders = new HashMap<>();
        Set<String> everyMember = new TreeSet<>();
        try {
            for (KeyValues.Entry e : kv().scan(space, "", 10_000)) {
                if (e.key().startsWith(LEASE)) {
                    String token = new String(e.value(), StandardCharsets.UTF_8);
                    holders.put(Integer.valueOf(e.key().substring(LEASE.length())), token.substring(0, token.indexOf('/')));
                } else if (e.key().startsWith(MEMBER)) {
                    everyMember.add(e.key().substring(MEMBER.length()));
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("subscription '{}': the status shows this server's consumers only ({})", name, e.toString());
        }
        List<SubscriptionStatus.PartitionStatus> partitions = new ArrayList<>();
        for (int p = 0; p < spec.partitions(); p++) {
            Lease lease = leases.get(p);
            if (lease != null) {
                partitions.add(new SubscriptionStatus.PartitionStatus(p, lease.checkpoint(), lease.owner.consumerId(),
                        lease.pending(), lease.lag(now)));
            } else {
                Position cp = checkpoint(p);
                partitions.add(new SubscriptionStatus.PartitionStatus(p, cp, holders.get(p), 0, idleLag(cp, now)));
            }
        }
        Map<String, SubscriptionStatus.ConsumerStatus> consumers = new TreeMap<>();
        for (String id : everyMember) {
            SortedSet<Integer> held = new TreeSet<>();
            for (SubscriptionStatus.PartitionStatus p : partitions) if (id.equals(p.consumer())) held.add(p.partition());
            consumers.put(id, new SubscriptionStatus.ConsumerStatus(id, Collections.unmodifiableSortedSet(held), 0));
        }
        synchronized (membership) {
            for (DurableConsumer c : members.values())
                consumers.put(c.consumerId(), new SubscriptionStatus.ConsumerStatus(c.consumerId(), c.partitions(), c.delivered()));
        }
        return new SubscriptionStatus(name, spec, List.copyOf(partitions), List.copyOf(consumers.values()));
    }

    /** The age of the first event after {@code checkpoint}, whichever partition it belongs to: an upper bound. */
    private Duration idleLag(Position checkpoint, Instant now) {
        LogPage next = store().readLog(checkpoint, 1);
        if (next.events().isEmpty()) return Duration.ZERO;
        Duration d = Duration.between(next.events().get(0).processedAt(), now);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
