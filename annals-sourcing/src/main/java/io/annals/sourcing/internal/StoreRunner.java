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
 * delivers them, resuming from the checkpoint {@code checkpoint} of the store. The checkpoint moves after a read of
 * the log whose events were all handled (each time the subscription is live, at most every 200 ms while it catches
 * up), and on close, also after a failure, to the last event handled; so only the events after it (at most 200 ms of
 * catching up, or a crash's worth) are delivered again.
 */
public final class StoreRunner implements ScheduleRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRunner.class);
    private static final long CHECKPOINT_NANOS = 200_000_000L;
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
        private Position latest; // where to resume: after the last event handled or passed over
        private long savedAt = System.nanoTime();

        Listener(Checkpoints checkpoints, String name, Position from, Sink sink) {
            this.checkpoints = checkpoints;
            this.name = name;
            this.saved = from;
            this.latest = from;
            this.sink = sink;
        }

        @Override
        public void onEvent(Event event) {
            sink.deliver().accept(codec.decode(event));
            latest = event.position();
        }

        @Override
        public void onProgress(Position position, boolean caughtUp) {
            latest = position;
            // while catching up, at most one write every CHECKPOINT_NANOS: a crash repeats that much more
            if (caughtUp || System.nanoTime() - savedAt >= CHECKPOINT_NANOS) save();
        }

        private void save() {
            if (latest.equals(saved)) return;
            checkpoints.put(name, latest);
            saved = latest;
            savedAt = System.nanoTime();
        }

        @Override
        public void onClosed(Throwable failure) {
            try {
                save();
            } catch (RuntimeException e) {
                LOG.warn("processing checkpoint {} not saved on close (events after {} will be delivered again): {}",
                        name, saved, e.toString());
            }
            if (failure != null) sink.failed().accept(failure);
        }
    }
}
