package io.annals.sourcing.api;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where the events of a {@link Processing} travel between {@code dispatchTo} and the handlers. The handlers are the
 * same code under each; what changes is what is kept and what a restart redelivers.
 * <ul>
 *   <li>{@link #TRANSIENT}: an in-memory bus. Nothing is kept; an event is handled at most once, and events not
 *       handled when the processing stops are lost ("what happens").</li>
 *   <li>{@link #DURABLE}: a broker, through a {@link Transport} (Kafka with annals-kafka). Each event is handled at
 *       least once: after a restart the events after the last commit are delivered again ("what's happening").</li>
 *   <li>{@link #PERSISTENT}: the event store, with a subscription whose checkpoint the store keeps. Each event is
 *       handled at least once: after a restart the events after the checkpoint are delivered again ("what
 *       happened").</li>
 * </ul>
 */
public enum Schedule {
    TRANSIENT, DURABLE, PERSISTENT;

    /** The schedule named {@code name}, in any case ({@code transient}, {@code durable} or {@code persistent}). */
    public static Schedule of(String name) {
        if (name != null) {
            for (Schedule s : values()) if (s.name().equalsIgnoreCase(name.trim())) return s;
        }
        throw new IllegalArgumentException("unknown processing schedule '" + name + "': use one of "
                + Arrays.stream(values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
    }
}
