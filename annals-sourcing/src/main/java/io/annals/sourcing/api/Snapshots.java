package io.annals.sourcing.api;

import java.time.Duration;
import java.util.Objects;

/**
 * When the state of an aggregate is kept as a snapshot in the store's {@link io.annals.core.api.KeyValues}, so that a
 * long history rebuilds from the snapshot and the events after it:
 * {@code Sourcing.on(store, domain).snapshots(Parcel.FOLD, Snapshots.every(1000).ttl(Duration.ofDays(30)))}.
 * <p>A load writes a new snapshot when it folded at least {@code every} events since the last one. A snapshot never
 * makes state wrong: a load that finds events stored before the snapshot's last event since it was taken, or events
 * after it that the causal hints would put before it, or a snapshot of another {@link #version}, folds the whole
 * history (and replaces the snapshot). Bump the version whenever the fold's transitions or the state's shape change.
 * Immutable.
 *
 * @param every   events folded since the last snapshot before a load writes a new one (at least 1)
 * @param ttl     how long a snapshot is kept after it was written (whole seconds, at least one), or null for ever
 * @param version the fold's version: a snapshot written by another version is ignored
 * @param name    the snapshot's key within its aggregate's space, one per fold of the aggregate; null for the state
 *                class's name
 */
public record Snapshots(int every, Duration ttl, int version, String name) {

    public Snapshots {
        if (every < 1) throw new IllegalArgumentException("snapshots every " + every + " events: give at least 1");
        if (ttl != null && (ttl.toSeconds() < 1))
            throw new IllegalArgumentException("a snapshot ttl is at least one second, not " + ttl);
        if (name != null && (name.isEmpty() || name.length() > 200))
            throw new IllegalArgumentException("a snapshot name has 1 to 200 characters: '" + name + "'");
    }

    /** A snapshot after every {@code events} events folded, kept for ever, fold version 1. */
    public static Snapshots every(int events) {
        return new Snapshots(events, null, 1, null);
    }

    /** These snapshots, each kept for {@code timeToLive} after it was written (whole seconds). */
    public Snapshots ttl(Duration timeToLive) {
        return new Snapshots(every, Objects.requireNonNull(timeToLive, "ttl"), version, name);
    }

    /** These snapshots, for version {@code foldVersion} of the fold: snapshots of other versions are ignored. */
    public Snapshots version(int foldVersion) {
        return new Snapshots(every, ttl, foldVersion, name);
    }

    /** These snapshots, under {@code key} (needed when two folds of an aggregate share a state class). */
    public Snapshots name(String key) {
        return new Snapshots(every, ttl, version, Objects.requireNonNull(key, "name"));
    }

    /** How a snapshot's state becomes bytes and back; the default is JSON by the domain's Jackson mapper. */
    public interface Codec<S> {
        byte[] encode(S state);

        S decode(byte[] bytes);
    }
}
