package io.annals.core.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * A claim on a key of {@link KeyValues} that expires unless renewed: at most one holder at a time across every
 * process sharing the store. Renew it well within its time to live (a third of it); {@link #isSafe()} says whether
 * this holder may still act on it, leaving a third of the time to live as a margin for clocks and pauses.
 * Views, Kafka relays and other single-runner work of one name use it so that one instance runs while the others
 * wait and take over when it stops or dies. The key must be written through this class only. Thread-safe.
 */
public final class Lease {
    private final KeyValues store;
    private final String space;
    private final String key;
    private final Duration ttl;
    private final byte[] owner = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    private volatile long validUntil; // System.nanoTime() bound; 0 when not held
    private volatile boolean held;

    /**
     * A lease on {@code key} of {@code space}, not yet taken, that lasts {@code ttl} (whole seconds, at least one, as
     * every time to live of {@link KeyValues}) unless renewed. Each instance is a holder of its own.
     */
    public Lease(KeyValues store, String space, String key, Duration ttl) {
        this.store = store;
        this.space = space;
        this.key = key;
        this.ttl = ttl;
    }

    /**
     * Renews the lease, or takes it when it is free; returns whether this holder has it now. A store failure is
     * thrown, and leaves the lease to run out unless a later call renews it.
     */
    public boolean acquireOrRenew() {
        long start = System.nanoTime();
        boolean ok = store.compareAndSet(space, key, owner, owner, ttl)
                || store.compareAndSet(space, key, null, owner, ttl);
        validUntil = start + ttl.toNanos();
        held = ok;
        return ok;
    }

    /** True while this holder has the lease with at least a third of its time to live to spare. */
    public boolean isSafe() {
        return held && validUntil - System.nanoTime() > ttl.toNanos() / 3;
    }

    /** Gives the lease up, if this holder has it, so that another can take it at once. */
    public void release() {
        if (!held) return;
        held = false;
        store.compareAndSet(space, key, owner, null, null);
    }
}
