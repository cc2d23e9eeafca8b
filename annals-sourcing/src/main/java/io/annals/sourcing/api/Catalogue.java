package io.annals.sourcing.api;

import io.annals.core.api.KeyValues;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The live aggregates of one type: those that had an {@link Initial} event and no {@link Terminal} one (for a type
 * without {@code @Initial} events, any event starts an aggregate's life). Arrival order does not matter: a terminal
 * event that arrives before the initial one keeps the aggregate out, and repeats change nothing.
 * <pre>{@code
 * Catalogue parcels = Catalogue.of(sourcing, "parcels-in-transit", ParcelEvent.class).start();
 * IdPage page = parcels.list();
 * }</pre>
 * It is a {@link View} (named as given): it resumes where it stopped, runs on one instance at a time and can be
 * rebuilt. The ids are spread over {@code buckets} spaces (changing the number needs a rebuild), and the ids of
 * ended aggregates are kept, so that a late initial event cannot bring one back. Thread-safe.
 */
public final class Catalogue implements AutoCloseable {
    private final View view;
    private final Buckets buckets;

    private Catalogue(View view, Buckets buckets) {
        this.view = view;
        this.buckets = buckets;
    }

    public static <E> Builder<E> of(Sourcing sourcing, String name, Class<E> events) {
        return new Builder<>(sourcing, name, events);
    }

    /** The first page (up to 100) of the live aggregates' ids. */
    public IdPage list() {
        return list(null, 100);
    }

    /** A page of up to {@code limit} live aggregates' ids after {@code continuation} (null for the first page). */
    public IdPage list(String continuation, int limit) {
        return buckets.page(view.data(), Catalogue::live, continuation, limit);
    }

    public boolean isLive(String id) {
        return view.data().get(live(buckets.of(id)), id).isPresent();
    }

    /** The view behind the catalogue: its status, a rebuild. */
    public View view() {
        return view;
    }

    @Override
    public void close() {
        view.close();
    }

    private static String live(int bucket) {
        return "live" + bucket;
    }

    private static String ended(int bucket) {
        return "ended" + bucket;
    }

    private static <E> ViewHandler<E> handler(Domain domain, Class<E> events, Buckets buckets) {
        boolean hasInitial = hasInitial(events);
        return (event, view) -> {
            int rank = domain.codec().types().of(event.event().getClass()).rank();
            String id = event.aggregate().id();
            int bucket = buckets.of(id);
            if (rank == 2) {
                view.put(ended(bucket), id, Buckets.EMPTY);
                view.delete(live(bucket), id);
            } else if ((rank == 0 || !hasInitial) && view.get(ended(bucket), id).isEmpty()) {
                view.put(live(bucket), id, Buckets.EMPTY);
            }
        };
    }

    private static boolean hasInitial(Class<?> sealed) {
        for (Class<?> c : Optional.ofNullable(sealed.getPermittedSubclasses()).orElse(new Class<?>[0])) {
            if (c.isAnnotationPresent(Initial.class) || c.isInterface() && hasInitial(c)) return true;
        }
        return false;
    }

    /** Sets a catalogue up; {@link #start()} starts its view. */
    public static final class Builder<E> {
        private final Sourcing sourcing;
        private final String name;
        private final Class<E> events;
        private int buckets = 16;
        private Integer batchSize;
        private Duration leaseTtl;
        private KeyValues store;

        private Builder(Sourcing sourcing, String name, Class<E> events) {
            this.sourcing = Objects.requireNonNull(sourcing, "sourcing");
            this.name = name;
            this.events = Objects.requireNonNull(events, "events");
            sourcing.domain().aggregateType(events); // fails at once when the aggregate is not in the domain
        }

        /** How many spaces the ids are spread over; default 16. */
        public Builder<E> buckets(int buckets) {
            new Buckets(buckets);
            this.buckets = buckets;
            return this;
        }

        /** See {@link View.Builder#batchSize}. */
        public Builder<E> batchSize(int events) {
            this.batchSize = events;
            return this;
        }

        /** See {@link View.Builder#leaseTtl}. */
        public Builder<E> leaseTtl(Duration ttl) {
            this.leaseTtl = ttl;
            return this;
        }

        /** See {@link View.Builder#keyValues}. */
        public Builder<E> keyValues(KeyValues store) {
            this.store = store;
            return this;
        }

        public Catalogue start() {
            Buckets b = new Buckets(buckets);
            View.Builder<E> view = sourcing.view(name, events, handler(sourcing.domain(), events, b));
            if (batchSize != null) view.batchSize(batchSize);
            if (leaseTtl != null) view.leaseTtl(leaseTtl);
            if (store != null) view.keyValues(store);
            return new Catalogue(view.start(), b);
        }
    }
}
