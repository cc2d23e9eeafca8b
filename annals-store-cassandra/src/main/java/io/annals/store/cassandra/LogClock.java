package io.annals.store.cassandra;

import io.annals.core.api.codec.Times;
import java.time.Clock;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Hands out log times (microseconds of this process's real clock, strictly increasing here, never crossing a log
 * bucket within one append) and knows which of them are not yet committed to the log, so that readers in this
 * process never read past an append of this process that is still being written. Readers stop at the watermark:
 * {@code now - settle delay}, and before the oldest uncommitted log time of this process.
 */
final class LogClock {
    private final Clock clock;
    private final long bucketMicros;
    private final long settleMicros;
    private final ConcurrentSkipListMap<Long, Integer> uncommitted = new ConcurrentSkipListMap<>();
    private long last;

    LogClock(Clock clock, long bucketMicros, long settleMicros) {
        this.clock = clock;
        this.bucketMicros = bucketMicros;
        this.settleMicros = settleMicros;
    }

    long nowMicros() {
        return Times.toMicros(clock.instant());
    }

    /** Reserves {@code n} consecutive log times in one bucket and marks them uncommitted; returns the first. */
    synchronized long reserve(int n) {
        long base = Math.max(last + 1, nowMicros());
        if (Keys.bucket(base, bucketMicros) != Keys.bucket(base + n - 1, bucketMicros))
            base = (Keys.bucket(base, bucketMicros) + 1) * bucketMicros;
        last = base + n - 1;
        uncommitted.merge(base, 1, Integer::sum);
        return base;
    }

    /** The log times from {@code base} are committed (or abandoned): readers may pass them. */
    void release(long base) {
        uncommitted.computeIfPresent(base, (k, v) -> v == 1 ? null : v - 1);
    }

    /**
     * The highest log time a reader may read up to (inclusive). With no settle delay (one annals process) this
     * process's own committed entries are readable at once, even those whose log time ran ahead of the clock.
     */
    synchronized long watermark() {
        long now = nowMicros();
        Long oldest = uncommitted.isEmpty() ? null : uncommitted.firstKey();
        if (settleMicros == 0) return oldest == null ? Math.max(now, last) : oldest - 1;
        long w = now - settleMicros;
        return oldest == null ? w : Math.min(w, oldest - 1);
    }

    /** The oldest log time this process may not have finished writing, or the next one it will hand out. */
    synchronized long low() {
        return uncommitted.isEmpty() ? Math.max(last + 1, nowMicros()) : uncommitted.firstKey();
    }

    /** The last log time handed out (0 before the first). */
    synchronized long last() {
        return last;
    }

    long settleMicros() {
        return settleMicros;
    }
}
