package io.annals.sourcing.internal;

import io.annals.core.api.AppendRequest;
import io.annals.core.api.Checkpoints;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.LogFilter;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import io.annals.sourcing.api.Recorded;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent schedule: events are appended to the store, and a subscription over the handled aggregate types
 * delivers them, resuming from the checkpoint {@code checkpoint} of the store. The checkpoint moves after each read
 * of the log whose events were all handled, and on close to the last event handled; so a crash (or a handler that
 * throws) has at most the events after it delivered again.
 */
public final class StoreRunner implements ScheduleRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRunner.class);
    private final EventStore store;
    private final EventCodec codec;
    private final Subscription subscription;

    public StoreRunner(EventStore store, EventCodec codec, String checkpoint, Sink sink) {
        this.store = store;
        this.codec = codec;
        Checkpoints checkpoints = store.checkpoints();
        Position from = checkpoints.get(checkpoint).orElse(Position.start());
        LogFilter filter = LogFilter.all().aggregateTypes(sink.aggregateTypes());
        this.subscription = store.subscribe(from, filter, new Listener(checkpoints, checkpoint, from, sink));
    }

    @Override
    public void publish(List<Recorded<?>> events) {
        List<NewEvent> out = new ArrayList<>(events.size());
        for (Recorded<?> r : events) out.add(codec.encode(r));
        store.append(AppendRequest.of(out));
    }

    @Override
    public void close() {
        subscription.close();
    }

    private final class Listener implements SubscriptionListener {
        private final Checkpoints checkpoints;
        private final String name;
        private final Sink sink;
        private Position saved;
        private Position handled; // the last event handled since the checkpoint was saved

        Listener(Checkpoints checkpoints, String name, Position from, Sink sink) {
            this.checkpoints = checkpoints;
            this.name = name;
            this.saved = from;
            this.sink = sink;
        }

        @Override
        public void onEvent(Event event) {
            sink.deliver().accept(codec.decode(event));
            handled = event.position();
        }

        @Override
        public void onProgress(Position position, boolean caughtUp) {
            if (!position.equals(saved)) {
                checkpoints.put(name, position);
                saved = position;
            }
            handled = null;
        }

        @Override
        public void onClosed(Throwable failure) {
            if (handled != null) {
                try {
                    checkpoints.put(name, handled);
                } catch (RuntimeException e) {
                    LOG.warn("processing checkpoint {} not saved on close (events after {} will be delivered again): {}",
                            name, saved, e.toString());
                }
            }
            if (failure != null) sink.failed().accept(failure);
        }
    }
}
