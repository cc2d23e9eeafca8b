package io.annals.kafka.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential back-off with jitter between {@code min} and {@code max}; {@link #reset()} after a success. Not thread-safe. */
public final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private long next;

    public Backoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0)
            throw new IllegalArgumentException("back-off must be positive with min <= max, not " + min + ".." + max);
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.next = minMillis;
    }

    /** The delay to wait now: the current step with up to 20% jitter; the step doubles up to the maximum. */
    public long nextMillis() {
        long delay = next + ThreadLocalRandom.current().nextLong(next / 5 + 1);
        next = Math.min(maxMillis, next * 2);
        return Math.min(delay, maxMillis);
    }

    public void reset() {
        next = minMillis;
    }
}
