package io.annals.core.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An event as a client submits it. Only {@code type} is required: the store assigns a UUIDv7 {@code id} when it is
 * null, and uses the receipt time when {@code time} is null. A client-supplied id is the idempotency key.
 * Build one with {@code NewEvent.ofType("parcel.delivered").aggregate("parcel", "69016fb5").payload("{...}").build()}.
 */
public record NewEvent(
        String id,
        String type,
        int version,
        String source,
        AggregateId aggregate,
        Instant time,
        Map<String, String> metadata,
        List<String> tags,
        RawJson payload,
        Duration ttl) {

    public NewEvent {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        tags = tags == null ? List.of() : List.copyOf(tags);
        payload = payload == null ? RawJson.NULL : payload;
    }

    public static Builder ofType(String type) {
        return new Builder().type(type);
    }

    public Builder toBuilder() {
        return new Builder().id(id).type(type).version(version).source(source).aggregate(aggregate).time(time)
                .metadata(metadata).tags(tags).payload(payload).ttl(ttl);
    }

    /** A mutable builder; {@link #build()} makes an immutable {@link NewEvent}. */
    public static final class Builder {
        private String id;
        private String type;
        private int version = 1;
        private String source;
        private AggregateId aggregate;
        private Instant time;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final List<String> tags = new ArrayList<>();
        private RawJson payload = RawJson.NULL;
        private Duration ttl;

        public Builder id(String id) { this.id = id; return this; }
        public Builder type(String type) { this.type = type; return this; }
        public Builder version(int version) { this.version = version; return this; }
        public Builder source(String source) { this.source = source; return this; }
        public Builder aggregate(AggregateId aggregate) { this.aggregate = aggregate; return this; }
        public Builder aggregate(String type, String id) { return aggregate(AggregateId.of(type, id)); }
        public Builder time(Instant time) { this.time = time; return this; }
        public Builder meta(String key, String value) { metadata.put(key, value); return this; }
        public Builder metadata(Map<String, String> values) { metadata.clear(); metadata.putAll(values); return this; }
        public Builder tag(String tag) { tags.add(tag); return this; }
        public Builder tags(List<String> values) { tags.clear(); tags.addAll(values); return this; }
        public Builder payload(RawJson payload) { this.payload = Objects.requireNonNull(payload); return this; }
        /** Parses {@code json} (any JSON value); an invalid document fails here. */
        public Builder payload(String json) { return payload(RawJson.parse(json)); }
        public Builder ttl(Duration ttl) { this.ttl = ttl; return this; }

        public NewEvent build() {
            return new NewEvent(id, type, version, source, aggregate, time, metadata, tags, payload, ttl);
        }
    }
}
