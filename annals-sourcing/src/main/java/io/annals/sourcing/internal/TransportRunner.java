package io.annals.sourcing.internal;

import io.annals.core.api.Event;
import io.annals.core.api.NewEvent;
import io.annals.sourcing.api.Recorded;
import io.annals.sourcing.api.Transport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable schedule: events are published through a {@link Transport} and consumed as one consumer group;
 * events of aggregate types no handler takes (or of no aggregate) are passed over, and committed like the rest.
 */
public final class TransportRunner implements ScheduleRunner {
    private final Transport transport;
    private final EventCodec codec;
    private final Clock clock;
    private final Transport.Consumption consumption;

    public TransportRunner(Transport transport, EventCodec codec, String group, Sink sink, Clock clock) {
        this.transport = transport;
        this.codec = codec;
        this.clock = clock;
        this.consumption = transport.consume(group, new Transport.Handler() {
            @Override
            public void onEvent(Event event) {
                if (event.aggregate() == null || !sink.aggregateTypes().contains(event.aggregate().type())) return;
                sink.deliver().accept(codec.decode(event));
            }

            @Override
            public void onClosed(Throwable failure) {
                if (failure != null) sink.failed().accept(failure);
            }
        });
    }

    @Override
    public void publish(List<Recorded<?>> events) {
        Instant now = clock.instant();
        List<Event> out = new ArrayList<>(events.size());
        for (Recorded<?> r : events) {
            NewEvent n = codec.encode(r);
            out.add(new Event(n.id(), n.type(), n.version(), n.source(), n.aggregate(), n.time(), now, n.metadata(),
                    n.tags(), n.payload(), n.ttl(), null, 0));
        }
        transport.publish(out);
    }

    @Override
    public void close() {
        consumption.close();
    }
}
