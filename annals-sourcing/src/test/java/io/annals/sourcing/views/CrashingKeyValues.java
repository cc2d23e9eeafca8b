package io.annals.sourcing.views;

import io.annals.core.api.KeyValues;
import io.annals.core.api.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Key-values that crash at a chosen write: writes {@code 1..crashAt-1} go through, write {@code crashAt} is lost (or,
 * with {@code afterWriting}, goes through but is answered with a failure), and every later write fails. Reads and
 * compare-and-set (the lease) keep working, so a crashed view can still give its lease up. With a number of
 * {@code failures}, the store recovers: the writes after those go through again.
 */
final class CrashingKeyValues implements KeyValues {
    private final KeyValues store;
    private final int crashAt;
    private final boolean afterWriting;
    private final int failures;
    private int writes;
    volatile boolean crashed;

    CrashingKeyValues(KeyValues store, int crashAt, boolean afterWriting) {
        this(store, crashAt, afterWriting, Integer.MAX_VALUE);
    }

    CrashingKeyValues(KeyValues store, int crashAt, boolean afterWriting, int failures) {
        this.store = store;
        this.crashAt = crashAt;
        this.afterWriting = afterWriting;
        this.failures = failures;
    }

    @Override
    public synchronized void write(Batch batch) {
        ++writes;
        if (crashed && writes - crashAt >= failures) crashed = false; // recovered
        if (crashed) throw new StoreUnavailableException("crashed", null);
        if (writes == crashAt) {
            crashed = true;
            if (afterWriting) store.write(batch);
            throw new StoreUnavailableException("crashed", null);
        }
        store.write(batch);
    }

    @Override
    public Optional<byte[]> get(String space, String key) {
        return store.get(space, key);
    }

    @Override
    public List<Entry> scan(String space, String after, int limit) {
        return store.scan(space, after, limit);
    }

    @Override
    public boolean compareAndSet(String space, String key, byte[] expected, byte[] value, Duration ttl) {
        return store.compareAndSet(space, key, expected, value, ttl);
    }
}
