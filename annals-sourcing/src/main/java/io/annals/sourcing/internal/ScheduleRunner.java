package io.annals.sourcing.internal;

import io.annals.sourcing.api.Recorded;
import java.util.List;

/** One schedule's machinery: carries dispatched events to its {@link Sink}. */
public interface ScheduleRunner extends AutoCloseable {

    /** Sends events that passed the append middleware, in order; they carry ids unless the store assigns them. */
    void publish(List<Recorded<?>> events);

    /** Stops delivering; idempotent. */
    @Override
    void close();
}
