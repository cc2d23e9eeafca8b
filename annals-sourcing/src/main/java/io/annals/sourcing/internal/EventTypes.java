package io.annals.sourcing.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.sourcing.api.AggregateType;
import io.annals.sourcing.api.EventName;
import io.annals.sourcing.api.EventVersion;
import io.annals.sourcing.api.Initial;
import io.annals.sourcing.api.Terminal;
import io.annals.sourcing.api.Upcaster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checked mapping of a domain: sealed interfaces to aggregate types, records to event names and versions, and
 * the upcasters. Every problem is found at construction and reported with what to do about it. Immutable.
 */
public final class EventTypes {
    private final Map<Class<?>, String> aggregateTypes = new LinkedHashMap<>();
    private final Map<Class<?>, EventType> byClass = new LinkedHashMap<>();
    private final Map<String, EventType> byName = new HashMap<>();
    private final Map<String, Upcaster> upcasters = new HashMap<>();

    public EventTypes(List<Class<?>> interfaces, List<Upcaster> steps, ObjectMapper mapper) {
        for (Class<?> i : interfaces) register(i, mapper);
        for (Upcaster u : steps) {
            String key = key(u.fromName(), u.fromVersion());
            EventType current = byName.get(u.fromName());
            if (current != null && current.version() == u.fromVersion())
                throw new IllegalArgumentException("the upcaster from " + u.fromName() + " v" + u.fromVersion()
                        + " would never run: that is the current form of " + current.record().getName());
            if (upcasters.putIfAbsent(key, u) != null)
                throw new IllegalArgumentException("two upcasters from " + u.fromName() + " v" + u.fromVersion());
        }
        for (Upcaster u : steps) checkChainEnds(u);
    }

    private void register(Class<?> type, ObjectMapper mapper) {
        if (!type.isInterface() || !type.isSealed())
            throw new IllegalArgumentException(type.getName() + " is not a sealed interface: declare the events of"
                    + " an aggregate type as records implementing one sealed interface");
        AggregateType annotation = type.getAnnotation(AggregateType.class);
        if (annotation == null || annotation.value().isBlank())
            throw new IllegalArgumentException(type.getName() + " has no aggregate type name: annotate it with"
                    + " @AggregateType(\"...\")");
        String aggregate = annotation.value();
        for (Map.Entry<Class<?>, String> e : aggregateTypes.entrySet()) {
            if (e.getKey() == type) throw new IllegalArgumentException(type.getName() + " is registered twice");
            if (e.getValue().equals(aggregate))
                throw new IllegalArgumentException("aggregate type '" + aggregate + "' is claimed by both "
                        + e.getKey().getName() + " and " + type.getName());
        }
        aggregateTypes.put(type, aggregate);
        for (Class<?> r : records(type, new ArrayList<>(), new HashSet<>())) add(r, aggregate, mapper);
    }

    private static List<Class<?>> records(Class<?> sealed, List<Class<?>> out, Set<Class<?>> seen) {
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (!seen.add(c)) continue;
            if (c.isInterface() && c.isSealed()) records(c, out, seen);
            else if (c.isRecord()) out.add(c);
            else throw new IllegalArgumentException(c.getName() + " implements " + sealed.getName()
                        + " but is not a record (or a sealed interface of records): events must be records");
        }
        return out;
    }

    private void add(Class<?> record, String aggregate, ObjectMapper mapper) {
        EventName named = record.getAnnotation(EventName.class);
        String name = named != null ? named.value() : aggregate + "." + kebab(record.getSimpleName());
        EventVersion versioned = record.getAnnotation(EventVersion.class);
        int version = versioned != null ? versioned.value() : 1;
        if (version < 1)
            throw new IllegalArgumentException(record.getName() + ": @EventVersion must be >= 1, not " + version);
        boolean initial = record.isAnnotationPresent(Initial.class);
        boolean terminal = record.isAnnotationPresent(Terminal.class);
        if (initial && terminal)
            throw new IllegalArgumentException(record.getName() + " is marked both @Initial and @Terminal");
        EventType type = new EventType(record, aggregate, name, version, initial ? 0 : terminal ? 2 : 1);
        EventType clash = byName.putIfAbsent(name, type);
        if (clash != null)
            throw new IllegalArgumentException("event name '" + name + "' is used by both " + clash.record().getName()
                    + " and " + record.getName() + ": give one of them another @EventName");
        checkJackson(record, mapper);
        byClass.put(record, type);
    }

    private static void checkJackson(Class<?> record, ObjectMapper mapper) {
        String problem = JacksonCheck.problem(mapper, record);
        if (problem != null)
            throw new IllegalArgumentException(record.getName() + " cannot be stored as JSON with Jackson: " + problem
                    + "; give it JSON-friendly components or register the Jackson module it needs on the mapper"
                    + " given to Domain.builder().mapper(...)");
    }

    private void checkChainEnds(Upcaster first) {
        Set<String> seen = new HashSet<>();
        String name = first.toName();
        int version = first.toVersion();
        while (true) {
            EventType current = byName.get(name);
            if (current != null && current.version() == version) return;
            Upcaster next = upcasters.get(key(name, version));
            if (next == null || !seen.add(key(name, version)))
                throw new IllegalArgumentException("the upcaster from " + first.fromName() + " v" + first.fromVersion()
                        + " leads to " + name + " v" + version + ", which is no current event type and has no upcaster"
                        + (next == null ? "" : " (the chain loops)"));
            name = next.toName();
            version = next.toVersion();
        }
    }

    /** ReceivedAtDepot becomes received-at-depot. */
    static String kebab(String simpleName) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < simpleName.length(); i++) {
            char c = simpleName.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) out.append('-');
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String key(String name, int version) {
        return name + "@" + version;
    }

    /** The aggregate type name of a registered sealed interface. */
    public String aggregateType(Class<?> events) {
        String type = aggregateTypes.get(events);
        if (type == null)
            throw new IllegalArgumentException(events.getName() + " is not registered with this domain: add it with"
                    + " Domain.builder().aggregate(" + events.getSimpleName() + ".class)");
        return type;
    }

    /** The mapping of a registered record. */
    public EventType of(Class<?> record) {
        EventType type = byClass.get(record);
        if (type == null)
            throw new IllegalArgumentException(record.getName() + " is not an event of this domain: register the"
                    + " sealed interface it implements with Domain.builder().aggregate(...)");
        return type;
    }

    /** The record whose current form is {@code name}, or null. */
    public EventType named(String name) {
        return byName.get(name);
    }

    /** The upcaster from {@code name} v{@code version}, or null. */
    public Upcaster upcasterFrom(String name, int version) {
        return upcasters.get(key(name, version));
    }
}
