package io.annals.sourcing.api;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Cursor;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.KeyValues;
import io.annals.sourcing.internal.CausalOrder;
import io.annals.sourcing.internal.EventCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the state of aggregates of one fold from a snapshot and the events after it, and writes snapshots (see
 * {@link Snapshots}). Each aggregate has a space of its own ({@code snapshots/<type length>:<type>/<id>}), holding
 * one key per fold. A snapshot records what it covers: the number of events folded, the stream version then (the
 * same number: a snapshot is written only when every event appended was folded), the last event folded (time, id)
 * and the highest causal rank folded. It is used only when the stream version now, less the events read after
 * that last event, is still the number folded (so no event was stored before it since), and no event after it has a
 * lower causal rank than one folded (so the causal order puts every later event after the snapshot's). Thread-safe.
 */
final class Snapshotter<S, E> {
    private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);
    private static final int PAGE = 1000;
    private static final int FORMAT = 1;
    private final EventStore store;
    private final KeyValues keyValues;
    private final EventCodec events;
    private final String aggregateType;
    private final Fold<S, E> fold;
    private final Snapshots policy;
    private final Snapshots.Codec<S> codec;
    private final String key;
    /** Set when the codec failed to give a state back equal: this fold's states are not snapshotted after that. */
    private final AtomicBoolean unfit = new AtomicBoolean();

    Snapshotter(EventStore store, EventCodec events, String aggregateType, Fold<S, E> fold, Snapshots policy,
                Snapshots.Codec<S> codec) {
        this.store = store;
        this.keyValues = store.keyValues();
        this.events = events;
        this.aggregateType = aggregateType;
        this.fold = fold;
        this.policy = policy;
        if (codec == null) {
            if (fold.initial() == null)
                throw new IllegalArgumentException("snapshots of a fold whose initial state is null need a codec:"
                        + " call snapshots(fold, policy, codec)");
            codec = json(events.mapper(), stateClass(fold));
        }
        this.codec = codec;
        this.key = policy.name() != null ? policy.name()
                : fold.initial() != null ? fold.initial().getClass().getName() : null;
        if (key == null || key.length() > KeyValues.MAX_NAME_LENGTH)
            throw new IllegalArgumentException("name the snapshots of this fold: Snapshots.every(n).name(\"...\")");
    }

    /** The state of {@code id} now ({@code upTo} null) or as at {@code upTo}, with the stream version read. */
    Sourcing.Loaded<S> load(String id, Instant upTo) {
        AggregateId aggregate = AggregateId.of(aggregateType, id);
        String space = space(aggregate);
        Snapshot<S> snapshot = read(space);
        if (snapshot != null && (upTo == null || !snapshot.time().isAfter(upTo))) {
            Read<E> tail = read(aggregate, new Cursor(snapshot.time(), snapshot.id()), upTo);
            if (tail.version() - tail.count() == snapshot.count() && tail.minRank() >= snapshot.maxRank()) {
                S state = snapshot.state();
                for (Recorded<E> r : CausalOrder.apply(tail.events(), events.types())) state = fold.apply(state, r);
                if (upTo == null && tail.count() >= policy.every()) {
                    Recorded<E> last = tail.events().get(tail.events().size() - 1);
                    save(space, new Snapshot<>(tail.version(), last.time(), last.id(),
                            Math.max(snapshot.maxRank(), tail.maxRank()), state));
                }
                return new Sourcing.Loaded<>(state, tail.version(), Math.max(snapshot.count(), Sourcing.newest(tail.events())));
            }
            log.debug("snapshot of {} is out of date (events stored before its last one, or reordered): rebuilding",
                    aggregate);
        }
        if (upTo != null) {
            History<E> history = new History<>(store, events, aggregate, fold.events()).upTo(upTo);
            return new Sourcing.Loaded<>(history.fold(fold), -1, -1);
        }
        Read<E> all = read(aggregate, null, null);
        S state = fold.fold(CausalOrder.apply(all.events(), events.types()));
        // only when no event was appended while the pages were read (and none has expired): then all are folded
        if (all.count() >= policy.every() && all.version() == all.count()) {
            Recorded<E> last = all.events().get(all.events().size() - 1);
            save(space, new Snapshot<>(all.count(), last.time(), last.id(), all.maxRank(), state));
        }
        return new Sourcing.Loaded<>(state, all.version(), Sourcing.newest(all.events()));
    }

    /** The space of an aggregate's snapshots; the type's length keeps a '/' in a type from making two alike. */
    static String space(AggregateId aggregate) {
        String space = "snapshots/" + aggregate.type().length() + ":" + aggregate.type() + "/" + aggregate.id();
        if (space.length() <= KeyValues.MAX_NAME_LENGTH) return space;
        return "snapshots/#" + sha256(aggregate.type().length() + ":" + aggregate.type() + "/" + aggregate.id());
    }

    /** What a snapshot covers, and the state after it. */
    private record Snapshot<S>(long count, Instant time, String id, int maxRank, S state) {}

    /** Events after a cursor (decoded up to {@code upTo}), how many there were, and the stream version. */
    private record Read<E>(List<Recorded<E>> events, long count, long version, int minRank, int maxRank) {}

    @SuppressWarnings("unchecked")
    private Read<E> read(AggregateId aggregate, Cursor after, Instant upTo) {
        AggregateQuery query = AggregateQuery.of(aggregate).limit(PAGE);
        if (after != null) query = query.after(after);
        List<Recorded<E>> out = new ArrayList<>();
        long version = -1;
        long count = 0;
        int minRank = Integer.MAX_VALUE;
        int maxRank = Integer.MIN_VALUE;
        while (true) {
            AggregatePage page = store.readAggregate(query);
            if (version < 0) version = page.streamVersion();
            for (Event e : page.events()) {
                count++;
                if (upTo != null && e.time().isAfter(upTo)) continue; // counted, for the check, but not folded
                Recorded<Object> decoded = events.decode(e);
                if (!fold.events().isInstance(decoded.event()))
                    throw new IllegalStateException("event " + e.id() + " of " + aggregate + " is " + e.type()
                            + ", which is not one of " + fold.events().getName());
                int rank = events.types().of(decoded.event().getClass()).rank();
                minRank = Math.min(minRank, rank);
                maxRank = Math.max(maxRank, rank);
                out.add((Recorded<E>) (Recorded<?>) decoded);
            }
            if (!page.hasMore()) return new Read<>(out, count, version, minRank, maxRank);
            query = query.after(page.next());
        }
    }

    private Snapshot<S> read(String space) {
        Optional<byte[]> stored = keyValues.get(space, key);
        if (stored.isEmpty()) return null;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored.get()))) {
            if (in.readInt() != FORMAT || !in.readUTF().equals(key) || in.readInt() != policy.version()) return null;
            long count = in.readLong();
            Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
            String id = in.readUTF();
            int maxRank = in.readInt();
            byte[] state = in.readNBytes(in.readInt());
            return new Snapshot<>(count, time, id, maxRank, codec.decode(state));
        } catch (IOException | RuntimeException e) {
            log.warn("the snapshot {} in {} cannot be read, so the history is folded from the start: {}", key, space,
                    e.toString());
            return null;
        }
    }

    private void save(String space, Snapshot<S> snapshot) {
        if (unfit.get()) return;
        byte[] state;
        try {
            state = codec.encode(snapshot.state());
            if (!Objects.equals(codec.decode(state), snapshot.state()))
                throw new IllegalStateException("a " + snapshot.state().getClass().getName() + " read back differs");
        } catch (RuntimeException e) {
            if (unfit.compareAndSet(false, true))
                log.warn("no snapshots of {}: its state does not come back equal from the codec, so a snapshot could"
                        + " change it; give the state an equals() that compares content, or a codec ({})", key,
                        e.toString());
            return;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(state.length + 128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(FORMAT);
            out.writeUTF(key);
            out.writeInt(policy.version());
            out.writeLong(snapshot.count());
            out.writeLong(snapshot.time().getEpochSecond());
            out.writeInt(snapshot.time().getNano());
            out.writeUTF(snapshot.id());
            out.writeInt(snapshot.maxRank());
            out.writeInt(state.length);
            out.write(state);
            out.flush();
            if (bytes.size() > KeyValues.MAX_VALUE_BYTES) {
                log.warn("no snapshot of {} in {}: {} bytes is more than the store keeps", key, space, bytes.size());
                return;
            }
            keyValues.write(new KeyValues.Batch().put(space, key, bytes.toByteArray(), policy.ttl()));
        } catch (IOException | RuntimeException e) {
            // a snapshot only saves time: the state loaded is right without it
            log.warn("the snapshot {} in {} was not written: {}", key, space, e.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static <S> Class<S> stateClass(Fold<S, ?> fold) {
        return (Class<S>) fold.initial().getClass();
    }

    /** State as JSON by {@code mapper}, read back as {@code type}; a record as its components only. */
    static <S> Snapshots.Codec<S> json(ObjectMapper domainMapper, Class<S> type) {
        ObjectMapper mapper = type.isRecord() ? componentsOnly(domainMapper) : domainMapper;
        return new Snapshots.Codec<>() {
            @Override
            public byte[] encode(S state) {
                try {
                    return mapper.writeValueAsBytes(state);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public S decode(byte[] bytes) {
                try {
                    return mapper.readValue(bytes, type);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /**
     * The domain's mapper, seeing fields only. For a record these are its components: the domain's mapper would also
     * write a helper such as {@code isEmpty()} or {@code getTotal()} as a property, which the record cannot take back,
     * so the read-back check would turn snapshots off.
     */
    private static ObjectMapper componentsOnly(ObjectMapper mapper) {
        ObjectMapper copy = mapper.copy();
        copy.setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE);
        copy.setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);
        copy.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        return copy;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
