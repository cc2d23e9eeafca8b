package io.annals.sourcing.internal;

import io.annals.core.api.KeyValues;
import io.annals.sourcing.api.Middleware;
import io.annals.sourcing.api.Recorded;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Drops repeats of an event id claimed within a TTL by any filter of the same name over the same store (several
 * processes share it): the first {@link KeyValues#compareAndSet claim} of an id wins, a later one drops the event.
 * A claim is first pending, for at most {@link #PENDING} (or the TTL if shorter), while the rest of the chain handles
 * the event, and then held for the TTL: so a node that dies while it handles an event blocks a retry for a minute,
 * not for the whole TTL.
 * Ids are spread over {@code buckets} spaces ({@code idempotency/<name>/<bucket>}) by their hash, so that each
 * space holds about (ids per TTL) / buckets keys. A claim whose event failed further down the chain, or whose append
 * failed, is given up (only by the filter that made it), so that a retry passes. Thread-safe.
 */
public final class SharedIdempotencyFilter implements Middleware {
    private final KeyValues store;
    private final String name;
    private final Duration ttl;
    private final int buckets;
    /** How long a claim may stay pending while its event is handled. */
    public static final Duration PENDING = Duration.ofMinutes(1);
    private final byte[] done;
    private final byte[] pending;
    private final Duration lease;

    public SharedIdempotencyFilter(KeyValues store, String name, Duration ttl, int buckets) {
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive, not " + ttl);
        if (buckets < 1) throw new IllegalArgumentException("buckets must be at least 1, not " + buckets);
        if (name.isEmpty() || name.length() > 200)
            throw new IllegalArgumentException("the filter's name has 1 to 200 characters: '" + name + "'");
        this.store = store;
        this.name = name;
        // the store keeps whole seconds: round up, so that no repeat within the TTL passes
        long seconds = ttl.getNano() > 0 ? ttl.getSeconds() + 1 : ttl.getSeconds();
        this.ttl = Duration.ofSeconds(Math.max(1, seconds));
        this.buckets = buckets;
        this.lease = this.ttl.compareTo(PENDING) < 0 ? this.ttl : PENDING;
        String token = UUID.randomUUID().toString();
        this.done = token.getBytes(StandardCharsets.UTF_8);
        this.pending = (token + " pending").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(Recorded<?> event, Consumer<Recorded<?>> next) {
        if (event.id() == null) {
            next.accept(event);
            return;
        }
        String space = space(event.id());
        String key = key(event.id());
        if (!store.compareAndSet(space, key, null, pending, lease)) return;
        try {
            next.accept(event);
        } catch (RuntimeException e) {
            store.compareAndSet(space, key, pending, null, null); // it did not get through: a retry must pass
            throw e;
        }
        // fails only when handling took longer than the lease and the claim lapsed: then it is no longer ours
        store.compareAndSet(space, key, pending, done, ttl);
    }

    @Override
    public void failed(Recorded<?> event, RuntimeException cause) {
        if (event.id() != null) release(event.id()); // it was not stored, so a retry must not be dropped
    }

    private void release(String id) {
        if (!store.compareAndSet(space(id), key(id), done, null, null))
            store.compareAndSet(space(id), key(id), pending, null, null);
    }

    private String space(String id) {
        return "idempotency/" + name + "/" + Math.floorMod(id.hashCode(), buckets);
    }

    private static String key(String id) {
        if (id.length() <= KeyValues.MAX_NAME_LENGTH && !hasLoneSurrogate(id)) return id;
        try {
            return "#" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else if (Character.isSurrogate(c)) return true;
        }
        return false;
    }
}
