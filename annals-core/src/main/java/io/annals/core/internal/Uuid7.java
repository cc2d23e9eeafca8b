package io.annals.core.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit sequence, then 62 random bits. Ids from one generator
 * increase strictly (RFC 9562 section 6.2, method 1): within a millisecond the sequence counts up, and when it
 * overflows, or the clock goes back, the millisecond field moves on from the last id. So events that get the same
 * capture time still sort by id in the order they were appended. Thread-safe.
 */
public final class Uuid7 {
    private static final Uuid7 SHARED = new Uuid7();

    /** The last (milliseconds << 12 | sequence) handed out. */
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

    /** A generator of its own, so that its ids increase independently of other generators' clocks. */
    public Uuid7() {}

    /** The next id from a generator shared by the whole JVM. */
    public static String next(long epochMillis) {
        return SHARED.nextId(epochMillis);
    }

    /** The next id of this generator, for the time {@code epochMillis}; greater than every id it gave before. */
    public String nextId(long epochMillis) {
        long floor = (epochMillis & 0xFFFF_FFFF_FFFFL) << 12;
        long stamp = last.updateAndGet(prev -> Math.max(prev + 1, floor));
        long msb = ((stamp >>> 12) << 16) | 0x7000L | (stamp & 0x0FFF);
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
