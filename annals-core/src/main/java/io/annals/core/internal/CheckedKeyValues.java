package io.annals.core.internal;

import io.annals.core.api.KeyValues;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The facade's view of an engine's {@link KeyValues}: checks spaces, keys, values, times to live and limits before the
 * engine sees them, so engines may assume well-formed input, and a refused batch writes nothing.
 */
final class CheckedKeyValues implements KeyValues {
    static final int MAX_SCAN = 10_000;

    private final KeyValues engine;

    CheckedKeyValues(KeyValues engine) {
        this.engine = Objects.requireNonNull(engine);
    }

    @Override
    public Optional<byte[]> get(String space, String key) {
        return engine.get(space(space), key(key));
    }

    @Override
    public List<Entry> scan(String space, String after, int limit) {
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_SCAN)
            throw new IllegalArgumentException("a scan's limit must be 1 to " + MAX_SCAN + ", not " + limit);
        return engine.scan(space(space), after.isEmpty() ? after : key(after), limit);
    }

    @Override
    public void write(Batch batch) {
        Objects.requireNonNull(batch, "batch");
        for (Batch.Op op : batch.ops()) {
            space(op.space());
            key(op.key());
            if (!op.isDelete()) value(op.value());
            ttl(op.ttl());
        }
        if (!batch.isEmpty()) engine.write(batch);
    }

    @Override
    public boolean compareAndSet(String space, String key, byte[] expected, byte[] value, Duration ttl) {
        if (expected == null && value == null)
            throw new IllegalArgumentException("compareAndSet needs an expected value, a new value, or both");
        if (expected != null) value(expected);
        if (value != null) value(value);
        return engine.compareAndSet(space(space), key(key), expected, value, ttl(ttl));
    }

    private static String space(String space) {
        Objects.requireNonNull(space, "space");
        return CheckedCheckpoints.wellFormed(space, "key-value space", MAX_NAME_LENGTH);
    }

    private static String key(String key) {
        Objects.requireNonNull(key, "key");
        return CheckedCheckpoints.wellFormed(key, "key", MAX_NAME_LENGTH);
    }

    private static void value(byte[] value) {
        if (value.length > MAX_VALUE_BYTES)
            throw new IllegalArgumentException("a value may be at most " + MAX_VALUE_BYTES + " bytes, not " + value.length);
    }

    /** Null (no time to live) or at least a second and at most 20 years (Cassandra's limit), rounded up to whole seconds. */
    private static Duration ttl(Duration ttl) {
        if (ttl == null) return null;
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofDays(365L * 20)) > 0)
            throw new IllegalArgumentException("a time to live must be 1 s to 20 years, not " + ttl);
        return ttl;
    }
}
