package io.annals.sourcing.api;

import io.annals.core.api.Event;
import java.util.List;

/**
 * The broker under the {@link Schedule#DURABLE} schedule: publishes events and hands them to a consuming group.
 * annals-kafka implements it ({@code KafkaTransport}); a {@link TransportFactory} makes one from configuration.
 * <p>Contract:
 * <ul>
 *   <li>{@link #publish} returns once the broker has acknowledged every event durably, or throws; the events of one
 *       aggregate are delivered to a group in the order they were published (key them by aggregate).</li>
 *   <li>{@link #consume} delivers every event published to the transport, from where {@code group} last committed
 *       (from the earliest event kept the first time), to {@code handler}, on a thread of its own, one call at a time.
 *       It commits an event only after the handler returned for it and for the events delivered before it, so
 *       the uncommitted events of a consumer that stops or crashes are delivered again: at least once.</li>
 *   <li>A handler that throws ends the consumption without committing that event; {@link Handler#onClosed} is the
 *       last call, with the failure or null.</li>
 * </ul>
 * Thread-safe. The events carry no position (0 stream version); their {@code processedAt} is when they were
 * published.
 */
public interface Transport extends AutoCloseable {

    /** Publishes {@code events} in order, blocking until the broker acknowledged them all. Not atomic. */
    void publish(List<Event> events);

    /** Starts delivering to {@code handler} as consumer group {@code group}; close the result to stop. */
    Consumption consume(String group, Handler handler);

    /** Releases the transport's connections; consumptions still running are closed. */
    @Override
    void close();

    /** Receives the events of a {@link #consume consumption}, one call at a time. */
    interface Handler {
        /** One event; throwing ends the consumption and leaves this event uncommitted. */
        void onEvent(Event event) throws Exception;

        /** The last call, made once: {@code failure} is null when the consumption was closed. */
        default void onClosed(Throwable failure) {}
    }

    /** A running consumption. */
    interface Consumption extends AutoCloseable {
        /** Stops it: commits what was handled, and no event is delivered after this returns. Idempotent. */
        @Override
        void close();
    }
}
