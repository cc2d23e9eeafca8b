package io.annals.store.rocksdb;

import io.annals.core.spi.EngineSettings;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The engine's options, read from {@link EngineSettings#option(String, String)}. Every key, its default and its
 * meaning are listed in {@code docs/storage-rocksdb.md}; an unknown key or a bad value fails the open with a
 * message that says what is accepted.
 *
 * @param syncEachWrite     {@code sync}: {@code always} fsyncs the WAL before acknowledging, {@code none} does not
 * @param bucket            {@code index.bucket}: the time bucket of the type, tag and time indexes
 * @param sweepInterval     {@code ttl.sweep-interval}: how often expired events are deleted; zero disables it
 * @param blockCacheBytes   {@code block-cache.size}
 * @param writeBufferBytes  {@code write-buffer.size}: memtable size of the events column family (the others get
 *                          half of it; all memtables together at most four times it)
 * @param groupMaxEvents    {@code group.max-events}: the most events the writer puts in one WriteBatch
 * @param writerCacheSize   {@code writer-cache.size}: stream heads and bucket ranges the writer keeps in memory
 * @param backgroundJobs    {@code max-background-jobs}
 */
record RocksDbConfig(boolean syncEachWrite, Duration bucket, Duration sweepInterval, long blockCacheBytes,
                     long writeBufferBytes, int groupMaxEvents, int writerCacheSize, int backgroundJobs) {

    static final Set<String> KEYS = Set.of("sync", "index.bucket", "ttl.sweep-interval", "block-cache.size",
            "write-buffer.size", "group.max-events", "writer-cache.size", "max-background-jobs");

    static RocksDbConfig from(EngineSettings settings) {
        for (String key : settings.options().keySet()) {
            if (!KEYS.contains(key))
                throw new IllegalArgumentException("unknown rocksdb option '" + key + "'; known options: " + KEYS);
        }
        String sync = settings.option("sync", "always");
        if (!sync.equals("always") && !sync.equals("none"))
            throw new IllegalArgumentException("option sync must be 'always' or 'none', not '" + sync + "'");
        Duration bucket = duration(settings, "index.bucket", "PT1H");
        if (bucket.toNanos() < 1000 || bucket.toNanos() % 1000 != 0)
            throw new IllegalArgumentException("option index.bucket must be a whole number of microseconds >= 1, not " + bucket);
        Duration sweep = duration(settings, "ttl.sweep-interval", "PT1M");
        return new RocksDbConfig(sync.equals("always"), bucket, sweep,
                bytes(settings, "block-cache.size", "256MiB"),
                bytes(settings, "write-buffer.size", "64MiB"),
                positiveInt(settings, "group.max-events", "10000"),
                positiveInt(settings, "writer-cache.size", "100000"),
                positiveInt(settings, "max-background-jobs", "2"));
    }

    long bucketMicros() {
        return bucket.toNanos() / 1000;
    }

    private static Duration duration(EngineSettings s, String key, String dflt) {
        return s.duration(key, dflt);
    }

    private static final Map<String, Long> UNITS = Map.of("", 1L, "kib", 1L << 10, "mib", 1L << 20, "gib", 1L << 30,
            "kb", 1000L, "mb", 1000_000L, "gb", 1000_000_000L);

    static long bytes(EngineSettings s, String key, String dflt) {
        String text = s.option(key, dflt).trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
        Long unit = UNITS.get(text.substring(i).trim());
        if (i == 0 || unit == null)
            throw new IllegalArgumentException("option " + key + " must be a size such as 64MiB, 512KiB or 1000000, not '"
                    + s.option(key, dflt) + "'");
        return Math.multiplyExact(Long.parseLong(text.substring(0, i)), unit);
    }

    private static int positiveInt(EngineSettings s, String key, String dflt) {
        String text = s.option(key, dflt);
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("option " + key + " must be a whole number >= 1, not '" + text + "'");
    }
}
