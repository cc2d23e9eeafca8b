package io.annals.sourcing.api;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.EventStore;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.NewEvent;
import io.annals.sourcing.internal.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Emits typed events: {@code events.dispatchTo(parcelId, new ReceivedAtDepot("Lewisham"), at(time))}, or several in
 * one atomic append with {@link #batch()}. Every event passes the append middleware chain first; events it drops are
 * not written. Store failures are thrown as the store's {@code AnnalsException}s; an event of no registered
 * aggregate is an {@link IllegalArgumentException}. Thread-safe.
 */
public final class Events {
    private final EventStore store;
    private final EventCodec codec;
    private final Middleware chain;

    Events(EventStore store, EventCodec codec, Middleware chain) {
        this.store = store;
        this.codec = codec;
        this.chain = chain;
    }

    /** Appends one event of aggregate {@code aggregateId} (its type follows from the event's record). */
    public AppendResult dispatchTo(String aggregateId, Object event, At at) {
        return batch().add(aggregateId, event, at).dispatch();
    }

    /** Collects events, of one or several aggregates, for one atomic append. */
    public Batch batch() {
        return new Batch();
    }

    /** Events for one append; not thread-safe. */
    public final class Batch {
        private final List<Recorded<?>> events = new ArrayList<>();

        private Batch() {}

        public Batch add(String aggregateId, Object event, At at) {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(at, "at");
            String type = codec.types().of(event.getClass()).aggregateType();
            events.add(new Recorded<>(at.id(), AggregateId.of(type, aggregateId), at.time(), event, at.metadata(), 0));
            return this;
        }

        /**
         * Passes every event through the middleware chain and appends those that come out, all or none.
         * Answers one entry per appended event (none when the chain dropped them all).
         */
        public AppendResult dispatch() {
            return dispatch(ExpectedVersion.any());
        }

        AppendResult dispatch(ExpectedVersion expected) {
            List<Recorded<?>> passed = new ArrayList<>(events.size());
            try {
                for (Recorded<?> r : events) chain.handle(r, passed::add);
                if (passed.isEmpty()) return new AppendResult(List.of());
                List<NewEvent> out = new ArrayList<>(passed.size());
                for (Recorded<?> r : passed) out.add(codec.encode(r));
                return store.append(AppendRequest.of(out).expecting(expected));
            } catch (RuntimeException e) {
                for (Recorded<?> r : passed) chain.failed(r, e);
                throw e;
            }
        }
    }
}
