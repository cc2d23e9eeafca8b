package io.annals.server.subscriptions;

import io.annals.core.api.KeyValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Membership and leases in this process only, for a store that keeps no {@link KeyValues}: consumers of one
 * subscription must then use the same server, as before key-values existed. Only what {@link Group} uses.
 */
final class LocalKeyValues implements KeyValues {
    private record Stored(byte[] value, long expiresNanos) {}

    private final TreeMap<String, Stored> entries = new TreeMap<>();

    private static String id(String space, String key) {
        return space + '\0' + key;
    }

    private boolean live(Stored s) {
        return s != null && (s.expiresNanos() == Long.MAX_VALUE || System.nanoTime() - s.expiresNanos() < 0);
    }

    private void store(String space, String key, byte[] value, Duration ttl) {
        long expires = ttl == null ? Long.MAX_VALUE : System.nanoTime() + ttl.toNanos();
        entries.put(id(space, key), new Stored(value.clone(), expires));
    }

    @Override
    public synchronized Optional<byte[]> get(String space, String key) {
        Stored s = entries.get(id(space, key));
        return live(s) ? Optional.of(s.value().clone()) : Optional.empty();
    }

    @Override
    public synchronized List<Entry> scan(String space, String after, int limit) {
        List<Entry> out = new ArrayList<>();
        String prefix = space + '\0';
        for (Map.Entry<String, Stored> e : entries.tailMap(prefix + after, false).entrySet()) {
            if (!e.getKey().startsWith(prefix) || out.size() == limit) break;
            if (live(e.getValue())) out.add(new Entry(e.getKey().substring(prefix.length()), e.getValue().value().clone()));
        }
        return out;
    }

    @Override
    public synchronized void write(Batch batch) {
        for (Batch.Op op : batch.ops()) {
            if (op.isDelete()) entries.remove(id(op.space(), op.key()));
            else store(op.space(), op.key(), op.value(), op.ttl());
        }
    }

    @Override
    public synchronized boolean compareAndSet(String space, String key, byte[] expected, byte[] value, Duration ttl) {
        Stored s = entries.get(id(space, key));
        byte[] current = live(s) ? s.value() : null;
        if (expected == null ? current != null : current == null || !Arrays.equals(current, expected)) return false;
        if (value == null) entries.remove(id(space, key));
        else store(space, key, value, ttl);
        return true;
    }
}
