package io.annals.core.api;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which events of the global log a subscription delivers: {@code LogFilter.all().types("a", "b").tags("x")}.
 * Within a dimension any value matches (an event of type a or b); every dimension given must match (and tag x).
 * An empty dimension matches every event. An event matches a tag when the tag is among its tags, and an aggregate
 * type when it has an aggregate of that type. Immutable.
 */
public record LogFilter(Set<String> types, Set<String> tags, Set<String> aggregateTypes) {
    private static final LogFilter ALL = new LogFilter(Set.of(), Set.of(), Set.of());

    public LogFilter {
        types = copy(types, "type");
        tags = copy(tags, "tag");
        aggregateTypes = copy(aggregateTypes, "aggregate type");
    }

    private static Set<String> copy(Collection<String> values, String what) {
        if (values == null || values.isEmpty()) return Set.of();
        Set<String> copy = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null || v.isEmpty()) throw new IllegalArgumentException("a filter's " + what + " must not be empty");
            copy.add(v);
        }
        return Collections.unmodifiableSet(copy);
    }

    /** Every event. */
    public static LogFilter all() {
        return ALL;
    }

    /** This filter, matching only the given event types (any of them); none given matches every type. */
    public LogFilter types(String... values) {
        return types(Arrays.asList(values));
    }

    public LogFilter types(Collection<String> values) {
        return new LogFilter(new LinkedHashSet<>(Objects.requireNonNull(values)), tags, aggregateTypes);
    }

    /** This filter, matching only events with any of the given tags; none given matches every event. */
    public LogFilter tags(String... values) {
        return tags(Arrays.asList(values));
    }

    public LogFilter tags(Collection<String> values) {
        return new LogFilter(types, new LinkedHashSet<>(Objects.requireNonNull(values)), aggregateTypes);
    }

    /** This filter, matching only events of an aggregate of any of the given types; none given matches every event. */
    public LogFilter aggregateTypes(String... values) {
        return aggregateTypes(Arrays.asList(values));
    }

    public LogFilter aggregateTypes(Collection<String> values) {
        return new LogFilter(types, tags, new LinkedHashSet<>(Objects.requireNonNull(values)));
    }

    /** True when this filter lets every event through. */
    public boolean isAll() {
        return types.isEmpty() && tags.isEmpty() && aggregateTypes.isEmpty();
    }

    public boolean matches(Event event) {
        if (!types.isEmpty() && !types.contains(event.type())) return false;
        if (!aggregateTypes.isEmpty() && (event.aggregate() == null || !aggregateTypes.contains(event.aggregate().type())))
            return false;
        if (tags.isEmpty()) return true;
        for (String tag : event.tags()) if (tags.contains(tag)) return true;
        return false;
    }
}
