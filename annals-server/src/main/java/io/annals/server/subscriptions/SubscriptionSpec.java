package io.annals.server.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.core.api.Event;
import io.annals.core.api.LogFilter;
import io.annals.core.api.Position;
import io.annals.core.api.codec.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * What a durable subscription delivers and how its work is split: the events of the global log after {@code from}
 * that {@code filter} matches, in {@code partitions} partitions. An event belongs to partition
 * {@code crc32(UTF-8 of "aggregateType/aggregateId") mod partitions}, or of its id when it has no aggregate, so
 * all the events of one aggregate go to one partition and so to one consumer, in append order. The number of
 * partitions is fixed when the subscription is created. Immutable.
 *
 * @param from where the subscription starts: {@link Position#start()}, {@link Position#end()} (only events
 *             stored after it is created) or a position of the log
 */
public record SubscriptionSpec(int partitions, Position from, LogFilter filter) {
    public static final int DEFAULT_PARTITIONS = 8;
    public static final int MAX_PARTITIONS = 256;

    public SubscriptionSpec {
        if (partitions < 1 || partitions > MAX_PARTITIONS)
            throw new IllegalArgumentException("partitions must be 1 to " + MAX_PARTITIONS + ", not " + partitions);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(filter, "filter");
    }

    /** Every event from the start of the log, in {@value #DEFAULT_PARTITIONS} partitions. */
    public static SubscriptionSpec fromStart() {
        return new SubscriptionSpec(DEFAULT_PARTITIONS, Position.start(), LogFilter.all());
    }

    /** Every event after {@code from}, in {@value #DEFAULT_PARTITIONS} partitions. */
    public static SubscriptionSpec from(Position from) {
        return new SubscriptionSpec(DEFAULT_PARTITIONS, from, LogFilter.all());
    }

    public SubscriptionSpec partitions(int count) {
        return new SubscriptionSpec(count, from, filter);
    }

    public SubscriptionSpec filter(LogFilter only) {
        return new SubscriptionSpec(partitions, from, only);
    }

    /** The partition {@code event} belongs to. */
    public int partitionOf(Event event) {
        String key = event.aggregate() == null ? event.id() : event.aggregate().type() + "/" + event.aggregate().id();
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions);
    }

    /**
     * The spec as JSON: {@code {"partitions":8,"from":"start","filter":{"types":[],"tags":[],"aggregateTypes":[]}}}
     * (the body of {@code PUT /api/subscriptions/{name}}).
     */
    public ObjectNode toJson() {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("partitions", partitions);
        n.put("from", from.value());
        ObjectNode f = n.putObject("filter");
        strings(f.putArray("types"), filter.types());
        strings(f.putArray("tags"), filter.tags());
        strings(f.putArray("aggregateTypes"), filter.aggregateTypes());
        return n;
    }

    private static void strings(ArrayNode array, Collection<String> values) {
        values.forEach(array::add);
    }

    /**
     * Reads the JSON of {@link #toJson()}; every member is optional (8 partitions, from the start, every event).
     * @throws IllegalArgumentException naming the member that is wrong and what it takes
     */
    public static SubscriptionSpec fromJson(JsonNode json) {
        if (json == null || !json.isObject())
            throw new IllegalArgumentException("a subscription spec is a JSON object such as {\"partitions\":8,\"from\":\"start\","
                    + "\"filter\":{\"types\":[\"order.placed\"]}}");
        only(json, "", Set.of("partitions", "from", "filter"));
        int partitions = DEFAULT_PARTITIONS;
        JsonNode p = json.get("partitions");
        if (p != null) {
            if (!p.isIntegralNumber() || p.asLong() < 1 || p.asLong() > MAX_PARTITIONS)
                throw new IllegalArgumentException("partitions must be a whole number from 1 to " + MAX_PARTITIONS + ", not " + p);
            partitions = p.asInt();
        }
        Position from = Position.start();
        JsonNode f = json.get("from");
        if (f != null) {
            if (!f.isTextual() || f.asText().isEmpty())
                throw new IllegalArgumentException("from must be \"start\", \"end\" or a position the log returned, not " + f);
            from = Position.of(f.asText());
        }
        LogFilter filter = LogFilter.all();
        JsonNode fl = json.get("filter");
        if (fl != null && !fl.isNull()) {
            if (!fl.isObject()) throw new IllegalArgumentException("filter must be an object with types, tags and aggregateTypes");
            only(fl, "filter.", Set.of("types", "tags", "aggregateTypes"));
            filter = filter.types(texts(fl, "types")).tags(texts(fl, "tags")).aggregateTypes(texts(fl, "aggregateTypes"));
        }
        return new SubscriptionSpec(partitions, from, filter);
    }

    private static void only(JsonNode object, String prefix, Set<String> known) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name))
                throw new IllegalArgumentException("unknown member '" + prefix + name + "'; known: " + prefix + String.join(", " + prefix, known.stream().sorted().toList()));
        }
    }

    private static List<String> texts(JsonNode filter, String member) {
        JsonNode values = filter.get(member);
        List<String> out = new ArrayList<>();
        if (values == null || values.isNull()) return out;
        if (!values.isArray()) throw new IllegalArgumentException("filter." + member + " must be an array of strings");
        for (JsonNode v : values) {
            if (!v.isTextual() || v.asText().isEmpty())
                throw new IllegalArgumentException("filter." + member + " must hold non-empty strings, not " + v);
            out.add(v.asText());
        }
        return out;
    }
}
