package io.annals.sourcing.api;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.Order;
import io.annals.core.api.TimeRange;
import io.annals.sourcing.internal.CausalOrder;
import io.annals.sourcing.internal.EventCodec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A read of one aggregate's typed history, by event time (then id): {@code history.range(TimeRange.from(a).until(b))
 * .descending().list()}. Old forms of events are upcast. Immutable; each {@link #list()} reads the store again.
 */
public final class History<E> {
    private static final int PAGE = 1000;
    private final EventStore store;
    private final EventCodec codec;
    private final AggregateId aggregate;
    private final Class<E> events;
    private final TimeRange range;
    private final Instant upTo;
    private final Order order;

    History(EventStore store, EventCodec codec, AggregateId aggregate, Class<E> events) {
        this(store, codec, aggregate, events, TimeRange.all(), null, Order.ASC);
    }

    private History(EventStore store, EventCodec codec, AggregateId aggregate, Class<E> events, TimeRange range,
                    Instant upTo, Order order) {
        this.store = store;
        this.codec = codec;
        this.aggregate = aggregate;
        this.events = events;
        this.range = range;
        this.upTo = upTo;
        this.order = order;
    }

    /** Only events whose time is in {@code timeRange} (start inclusive, end exclusive). */
    public History<E> range(TimeRange timeRange) {
        return new History<>(store, codec, aggregate, events, Objects.requireNonNull(timeRange), upTo, order);
    }

    /** Only events that happened at or before {@code instant} (time travel). */
    public History<E> upTo(Instant instant) {
        return new History<>(store, codec, aggregate, events, range, Objects.requireNonNull(instant), order);
    }

    public History<E> descending() {
        return new History<>(store, codec, aggregate, events, range, upTo, Order.DESC);
    }

    public History<E> ascending() {
        return new History<>(store, codec, aggregate, events, range, upTo, Order.ASC);
    }

    public AggregateId aggregate() {
        return aggregate;
    }

    /** The events, in this read's order of event time, reading page after page. */
    public List<Recorded<E>> list() {
        return read().events();
    }

    /** Events read and the stream version when the first page was read (a later append makes it stale). */
    record Read<E>(List<Recorded<E>> events, long version) {}

    @SuppressWarnings("unchecked")
    Read<E> read() {
        TimeRange r = range;
        if (upTo != null) {
            // the store keeps microseconds: end the range one microsecond after, then drop anything later
            Instant end = upTo.truncatedTo(ChronoUnit.MICROS).plus(1, ChronoUnit.MICROS);
            if (r.start() != null && end.isBefore(r.start())) return new Read<>(List.of(), 0);
            if (r.end() == null || end.isBefore(r.end())) r = new TimeRange(r.start(), end);
        }
        List<Recorded<E>> out = new ArrayList<>();
        long version = -1;
        AggregateQuery query = AggregateQuery.of(aggregate).range(r).order(order).limit(PAGE);
        while (true) {
            AggregatePage page = store.readAggregate(query);
            if (version < 0) version = page.streamVersion();
            for (Event e : page.events()) {
                if (upTo != null && e.time().isAfter(upTo)) continue;
                Recorded<Object> decoded = codec.decode(e);
                if (!events.isInstance(decoded.event()))
                    throw new IllegalStateException("event " + e.id() + " of " + aggregate + " is " + e.type()
                            + ", which is not one of " + events.getName());
                out.add((Recorded<E>) (Recorded<?>) decoded);
            }
            if (!page.hasMore()) return new Read<>(out, version);
            query = query.after(page.next());
        }
    }

    /** The events in causal order: by event time, but {@link Initial} ones first and {@link Terminal} ones last. */
    public List<Recorded<E>> causal() {
        return CausalOrder.apply(ascending().list(), codec.types());
    }

    /** The state after this history's events in causal order. */
    public <S> S fold(Fold<S, E> fold) {
        return fold.fold(causal());
    }
}
