package io.annals.core.internal;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits; sortable by creation time. */
public final class Uuid7 {
    private Uuid7() {}

    public static String next(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (epochMillis << 16) | 0x7000L | (random.nextInt() & 0x0FFF);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
