package io.annals.sourcing.api;

import io.annals.core.api.AggregateId;
import io.annals.core.api.EventStore;
import io.annals.core.api.LogFilter;
import io.annals.core.api.Position;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import io.annals.sourcing.internal.CausalOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Event sourcing over an {@link EventStore}: emit typed events, read typed histories, fold state, subscribe.
 * <pre>{@code
 * Sourcing sourcing = Sourcing.on(store, domain).appendThrough(Middlewares.idempotent(ttl, 100_000)).build();
 * sourcing.events().dispatchTo("p1", new ReceivedAtDepot("Lewisham"), at(time));
 * Parcel parcel = sourcing.state(parcels, "p1");
 * }</pre>
 * Thread-safe when its middlewares are. It does not own the store: closing the store is the caller's business.
 */
public final class Sourcing {
    private final EventStore store;
    private final Domain domain;
    private final Middleware appends;
    private final Middleware deliveries;
    private final Map<Fold<?, ?>, Snapshotter<?, ?>> snapshots;
    /**
     * Stream versions whose missing events {@link #loadCurrent} waited out, by aggregate: a later load that finds the
     * same version and the same newest event does not wait again (a no-op command on an aggregate whose last append
     * died between claiming its number and writing its event would otherwise wait every time).
     */
    private final com.github.benmanes.caffeine.cache.Cache<AggregateId, Gap> gaps =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    /** A stream version and the newest event read with it, taken to be final. */
    private record Gap(long version, long newest) {}

    private Sourcing(EventStore store, Domain domain, Middleware appends, Middleware deliveries,
                     Map<Fold<?, ?>, Snapshotter<?, ?>> snapshots) {
        this.store = store;
        this.domain = domain;
        this.appends = appends;
        this.deliveries = deliveries;
        this.snapshots = snapshots;
    }

    public static Builder on(EventStore store, Domain domain) {
        return new Builder(Objects.requireNonNull(store, "store"), Objects.requireNonNull(domain, "domain"));
    }

    /** Emits events through the append middleware chain. */
    public Events events() {
        return new Events(store, domain.codec(), appends);
    }

    /** The history of aggregate {@code id} of the type whose events are {@code events}, oldest first, all time. */
    public <E> History<E> history(Class<E> events, String id) {
        return new History<>(store, domain.codec(), AggregateId.of(domain.aggregateType(events), id), events);
    }

    /**
     * The current state of aggregate {@code id}: its whole history in causal order, folded (from a snapshot and the
     * events after it when the fold has {@link Builder#snapshots snapshots}).
     */
    public <S, E> S state(Fold<S, E> fold, String id) {
        return load(fold, id, null).state();
    }

    /**
     * The state of aggregate {@code id} as at {@code instant}: its events up to and including that time, folded (from
     * a snapshot only when the snapshot's last event is not after {@code instant}).
     */
    public <S, E> S stateAt(Fold<S, E> fold, String id, Instant instant) {
        return load(fold, id, Objects.requireNonNull(instant, "instant")).state();
    }

    /**
     * A state, the stream version read with it, and the highest stream version among the events it covers (both -1 for
     * a state as at an instant).
     */
    record Loaded<S>(S state, long version, long newest) {}

    /** The highest stream version among {@code events} (0 for none). */
    static long newest(List<? extends Recorded<?>> events) {
        long newest = 0;
        for (Recorded<?> r : events) newest = Math.max(newest, r.streamVersion());
        return newest;
    }

    /**
     * How long {@link #loadCurrent} waits for the events a stream version counts. An engine may report a version before
     * the events it counts can be read: on Cassandra an append with an expected version claims its number (a
     * lightweight transaction on the stream head) before it writes the event's rows. A command deciding on such a
     * read would miss that event and still pass its version check.
     */
    static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(2);

    /**
     * The current state for a command: like {@link #load}, but read again (briefly backing off) while the version is
     * ahead of the newest event read, for up to {@link #IN_FLIGHT_WAIT}. After that the missing numbers are taken to
     * be gone for good (an append that died between claiming and writing, or events whose time to live passed), and
     * remembered as such for a while: the next load that finds the same gap returns at once.
     */
    <S, E> Loaded<S> loadCurrent(Fold<S, E> fold, String id) {
        AggregateId aggregate = AggregateId.of(domain.aggregateType(fold.events()), id);
        long deadline = System.nanoTime() + IN_FLIGHT_WAIT.toNanos();
        for (int attempt = 0; ; attempt++) {
            Loaded<S> loaded = load(fold, id, null);
            if (loaded.newest() >= loaded.version()) return loaded;
            Gap gap = new Gap(loaded.version(), loaded.newest());
            if (gap.equals(gaps.getIfPresent(aggregate))) return loaded;
            if (System.nanoTime() - deadline > 0) {
                gaps.put(aggregate, gap);
                return loaded;
            }
            try {
                Thread.sleep(Math.min(50, 1L << attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return loaded;
            }
        }
    }

    @SuppressWarnings("unchecked")
    <S, E> Loaded<S> load(Fold<S, E> fold, String id, Instant upTo) {
        Snapshotter<S, E> snapshotter = (Snapshotter<S, E>) snapshots.get(fold);
        if (snapshotter != null) return snapshotter.load(id, upTo);
        if (upTo != null) return new Loaded<>(history(fold.events(), id).upTo(upTo).fold(fold), -1, -1);
        History.Read<E> read = history(fold.events(), id).read();
        return new Loaded<>(fold.fold(causalOrder(read.events())), read.version(), newest(read.events()));
    }

    /** Commands for the aggregates {@code fold} describes: state from the fold, decisions appended with a version check. */
    public <S, E> Commands.Builder<S, E> commands(Fold<S, E> fold) {
        domain.aggregateType(fold.events()); // fails at once when the aggregate is not in the domain
        return Commands.builder(this, fold);
    }

    <E> List<Recorded<E>> causalOrder(List<Recorded<E>> events) {
        return CausalOrder.apply(events, domain.codec().types());
    }

    /**
     * Delivers to {@code handler} every event of the aggregate type of {@code events} stored after {@code from},
     * decoded (and upcast) and passed through the delivery middleware chain, on the subscription's own thread, one at
     * a time, in capture order (see {@link EventStore#subscribe}). An event that cannot be decoded, or a handler or
     * middleware that throws, ends the subscription.
     */
    public <E> Subscription subscribe(Class<E> events, Position from, Consumer<Recorded<E>> handler) {
        return store.subscribe(from, LogFilter.all().aggregateTypes(domain.aggregateType(events)),
                decoding(events, handler));
    }

    /**
     * A view named {@code name} over the events of the aggregate type of {@code events}: {@code handler} gets each
     * event as {@link #subscribe} would deliver it, with the view's entries to read and write (see {@link View}).
     */
    public <E> View.Builder<E> view(String name, Class<E> events, ViewHandler<E> handler) {
        domain.aggregateType(events); // fails at once when the aggregate is not in the domain
        return new View.Builder<>(this, name, events, handler);
    }

    /** A listener that decodes each event and passes it through the delivery chain to {@code handler}. */
    @SuppressWarnings("unchecked")
    <E> SubscriptionListener decoding(Class<E> events, Consumer<Recorded<E>> handler) {
        Consumer<Recorded<?>> last = r -> handler.accept((Recorded<E>) r);
        return event -> {
            Recorded<Object> decoded = domain.codec().decode(event);
            if (!events.isInstance(decoded.event()))
                throw new IllegalStateException("event " + event.id() + " of " + event.aggregate() + " is "
                        + event.type() + ", which is not one of " + events.getName());
            deliveries.handle(decoded, last);
        };
    }

    EventStore store() {
        return store;
    }

    Domain domain() {
        return domain;
    }

    /** Sets up the middleware chains; both are empty unless given. */
    public static final class Builder {
        private final EventStore store;
        private final Domain domain;
        private final List<Middleware> appends = new ArrayList<>();
        private final List<Middleware> deliveries = new ArrayList<>();
        private final Map<Fold<?, ?>, Snapshotter<?, ?>> snapshots = new IdentityHashMap<>();

        private Builder(EventStore store, Domain domain) {
            this.store = store;
            this.domain = domain;
        }

        /** Adds middlewares that every emitted event passes, in the order added, before it is appended. */
        public Builder appendThrough(Middleware... middlewares) {
            appends.addAll(List.of(middlewares));
            return this;
        }

        /** Adds middlewares that every delivered event passes, in the order added, before its handler. */
        public Builder deliverThrough(Middleware... middlewares) {
            deliveries.addAll(List.of(middlewares));
            return this;
        }

        /**
         * Keeps snapshots of the states {@code fold} builds (this very instance) in the store's key-values, as
         * {@code policy} says, written as JSON by the domain's Jackson mapper and read back as the class of the
         * fold's initial state. Fails when the store keeps no key-values or the fold's events are not in the domain.
         */
        public <S> Builder snapshots(Fold<S, ?> fold, Snapshots policy) {
            return snapshots(fold, policy, null);
        }

        /** {@link #snapshots(Fold, Snapshots)} with the state written and read by {@code codec}. */
        public <S, E> Builder snapshots(Fold<S, E> fold, Snapshots policy, Snapshots.Codec<S> codec) {
            Objects.requireNonNull(fold, "fold");
            Objects.requireNonNull(policy, "policy");
            snapshots.put(fold, new Snapshotter<>(store, domain.codec(), domain.aggregateType(fold.events()), fold,
                    policy, codec));
            return this;
        }

        public Sourcing build() {
            return new Sourcing(store, domain, Middleware.chain(appends), Middleware.chain(deliveries),
                    new IdentityHashMap<>(snapshots));
        }
    }
}
