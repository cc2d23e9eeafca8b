package io.annals.sourcing.internal;

import io.annals.core.api.KeyValues;
import io.annals.core.api.KeyValues.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The writes a view made and has not committed yet, read back on top of the store: those of the events already
 * handled in the current batch, and those of the event being handled, which can still be discarded on its own when
 * its handler throws. A delete is kept as a null value. Not thread-safe.
 */
public final class PendingWrites {
    /** Spaces and keys sort by code point, as in {@link KeyValues}. */
    public static final Comparator<String> CODE_POINTS = PendingWrites::compareCodePoints;

    private final Map<String, NavigableMap<String, byte[]>> batch = new HashMap<>();
    private final Map<String, NavigableMap<String, byte[]>> event = new HashMap<>();

    public void put(String space, String key, byte[] value) {
        event.computeIfAbsent(space, s -> new TreeMap<>(CODE_POINTS)).put(key, value);
    }

    public void delete(String space, String key) {
        put(space, key, null);
    }

    public Optional<byte[]> get(KeyValues store, String space, String key) {
        for (Map<String, NavigableMap<String, byte[]>> level : List.of(event, batch)) {
            NavigableMap<String, byte[]> entries = level.get(space);
            if (entries != null && entries.containsKey(key)) return Optional.ofNullable(entries.get(key));
        }
        return store.get(space, key);
    }

    /** Like {@link KeyValues#scan}, with the pending writes applied. */
    public List<Entry> scan(KeyValues store, String space, String after, int limit) {
        NavigableMap<String, byte[]> overlay = new TreeMap<>(CODE_POINTS);
        overlay.putAll(batch.getOrDefault(space, new TreeMap<>(CODE_POINTS)));
        overlay.putAll(event.getOrDefault(space, new TreeMap<>(CODE_POINTS)));
        List<Entry> out = new ArrayList<>();
        String cursor = after;
        while (true) {
            List<Entry> stored = store.scan(space, cursor, limit);
            boolean exhausted = stored.size() < limit;
            String last = exhausted ? null : stored.get(stored.size() - 1).key();
            NavigableMap<String, byte[]> merged = new TreeMap<>(CODE_POINTS);
            for (Entry e : stored) merged.put(e.key(), e.value());
            (last == null ? overlay.tailMap(cursor, false) : overlay.subMap(cursor, false, last, true))
                    .forEach((k, v) -> {
                        if (v == null) merged.remove(k);
                        else merged.put(k, v);
                    });
            for (Map.Entry<String, byte[]> e : merged.entrySet()) {
                out.add(new Entry(e.getKey(), e.getValue()));
                if (out.size() == limit) return out;
            }
            if (exhausted) return out;
            cursor = last;
        }
    }

    /** The current event was handled: its writes join the batch. */
    public void keepEvent() {
        event.forEach((space, entries) -> batch.computeIfAbsent(space, s -> new TreeMap<>(CODE_POINTS)).putAll(entries));
        event.clear();
    }

    /** The current event failed: its writes are forgotten. */
    public void discardEvent() {
        event.clear();
    }

    public boolean isEmpty() {
        return batch.isEmpty();
    }

    /** The spaces the batch writes. */
    public Set<String> spaces() {
        return batch.keySet();
    }

    /** Adds the batch's puts and deletes to {@code out}. */
    public KeyValues.Batch addTo(KeyValues.Batch out) {
        batch.forEach((space, entries) -> entries.forEach((key, value) -> {
            if (value == null) out.delete(space, key);
            else out.put(space, key, value);
        }));
        return out;
    }

    public void clear() {
        batch.clear();
        event.clear();
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
