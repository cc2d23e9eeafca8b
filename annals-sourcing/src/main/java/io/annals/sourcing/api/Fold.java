package io.annals.sourcing.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * How the state of one aggregate type follows from its events: pure transition functions, one per record.
 * <pre>{@code
 * Fold<Lightbulb, LightbulbEvent> bulbs = Fold.of(LightbulbEvent.class, Lightbulb.NONE)
 *         .on(Created.class, (bulb, e) -> Lightbulb.withWattage(e.wattage()))
 *         .on(SwitchedOn.class, (bulb, e, time) -> bulb.onSince(time));
 * }</pre>
 * Each {@code on} fails at once when its type is the interface itself, is not under it, or already has a
 * transition. An event without a transition leaves the state as it is. A transition for a sealed sub-interface
 * applies to all its records that have none of their own. Immutable and thread-safe (if the functions are pure).
 */
public final class Fold<S, E> {
    private final Class<E> events;
    private final S initial;
    private final Map<Class<?>, Transition<S, Object>> transitions;

    private Fold(Class<E> events, S initial, Map<Class<?>, Transition<S, Object>> transitions) {
        this.events = events;
        this.initial = initial;
        this.transitions = transitions;
    }

    /** A fold of the events under {@code events} (a sealed interface), starting from {@code initial}. */
    public static <S, E> Fold<S, E> of(Class<E> events, S initial) {
        if (!events.isInterface() || !events.isSealed())
            throw new IllegalArgumentException(events.getName() + " is not a sealed interface of event records");
        return new Fold<>(events, initial, Map.of());
    }

    /** A transition that needs only the state and the event. */
    public <T extends E> Fold<S, E> on(Class<T> type, BiFunction<S, T, S> transition) {
        Objects.requireNonNull(transition, "transition");
        return on(type, (Transition<S, T>) (state, event, time) -> transition.apply(state, event));
    }

    /** A transition that also needs the event's time (for durations, for example). */
    @SuppressWarnings("unchecked")
    public <T extends E> Fold<S, E> on(Class<T> type, Transition<S, T> transition) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(transition, "transition");
        if (type == events)
            throw new IllegalArgumentException("a transition for " + events.getSimpleName() + " itself would catch"
                    + " every event: give one per record");
        if (!events.isAssignableFrom(type))
            throw new IllegalArgumentException(type.getName() + " is not an event of " + events.getName()
                    + ", so its transition could never run");
        if (transitions.containsKey(type))
            throw new IllegalArgumentException(type.getName() + " has two transitions in this fold");
        Map<Class<?>, Transition<S, Object>> copy = new LinkedHashMap<>(transitions);
        copy.put(type, (Transition<S, Object>) transition);
        return new Fold<>(events, initial, Map.copyOf(copy));
    }

    public Class<E> events() {
        return events;
    }

    public S initial() {
        return initial;
    }

    /** The state after {@code event}. */
    public S apply(S state, Recorded<? extends E> event) {
        Transition<S, Object> t = transitionFor(event.event().getClass());
        return t == null ? state : t.apply(state, event.event(), event.time());
    }

    /** The state after the events, applied in the order given (a history in causal order). */
    public S fold(List<? extends Recorded<? extends E>> history) {
        S state = initial;
        for (Recorded<? extends E> r : history) state = apply(state, r);
        return state;
    }

    private Transition<S, Object> transitionFor(Class<?> type) {
        Transition<S, Object> t = transitions.get(type);
        if (t != null) return t;
        for (Class<?> i : type.getInterfaces()) {
            if (i != events && events.isAssignableFrom(i)) {
                t = transitionFor(i);
                if (t != null) return t;
            }
        }
        return null;
    }

    /** A pure transition: the state after {@code event}, which happened at {@code time}. */
    @FunctionalInterface
    public interface Transition<S, T> {
        S apply(S state, T event, Instant time);
    }
}
