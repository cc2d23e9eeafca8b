package io.annals.core.api.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The canonical annals JSON form of events (see the data model in the docs). Reading is strict: unknown fields,
 * wrong types and bad times are {@link InvalidEventException}s that name the field.
 */
public final class EventJson {
    /** Fields the store sets; accepted (and ignored) on input so that exported events can be imported. */
    private static final Set<String> STORE_FIELDS = Set.of("processedAt", "position", "streamVersion");
    private static final Set<String> FIELDS = Set.of("id", "type", "version", "source", "aggregate", "time",
            "metadata", "payload", "ttl");

    private EventJson() {}

    // ---- writing

    public static void write(Event e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", e.id());
        g.writeStringField("type", e.type());
        g.writeNumberField("version", e.version());
        if (e.source() != null) g.writeStringField("source", e.source());
        if (e.aggregate() != null) {
            g.writeObjectFieldStart("aggregate");
            g.writeStringField("type", e.aggregate().type());
            g.writeStringField("id", e.aggregate().id());
            g.writeEndObject();
        }
        g.writeStringField("time", Times.format(e.time()));
        g.writeStringField("processedAt", Times.format(e.processedAt()));
        if (!e.metadata().isEmpty() || !e.tags().isEmpty()) {
            g.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> m : e.metadata().entrySet()) g.writeStringField(m.getKey(), m.getValue());
            if (!e.tags().isEmpty()) {
                g.writeArrayFieldStart("tags");
                for (String tag : e.tags()) g.writeString(tag);
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeFieldName("payload");
        g.writeRawValue(e.payload().json());
        if (e.ttl() != null) g.writeStringField("ttl", formatTtl(e.ttl()));
        if (e.position() != null) g.writeStringField("position", e.position().value());
        if (e.aggregate() != null) g.writeNumberField("streamVersion", e.streamVersion());
        g.writeEndObject();
    }

    /** A new event in the canonical form as a client posts it (the inverse of {@link #readNewEvent}); fields left to the
     *  server are omitted. */
    public static void writeNewEvent(NewEvent e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (e.id() != null) g.writeStringField("id", e.id());
        g.writeStringField("type", e.type());
        if (e.version() != 0) g.writeNumberField("version", e.version());
        if (e.source() != null) g.writeStringField("source", e.source());
        if (e.aggregate() != null) {
            g.writeObjectFieldStart("aggregate");
            g.writeStringField("type", e.aggregate().type());
            g.writeStringField("id", e.aggregate().id());
            g.writeEndObject();
        }
        if (e.time() != null) g.writeStringField("time", Times.format(e.time()));
        if (!e.metadata().isEmpty() || !e.tags().isEmpty()) {
            g.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> m : e.metadata().entrySet()) g.writeStringField(m.getKey(), m.getValue());
            if (!e.tags().isEmpty()) {
                g.writeArrayFieldStart("tags");
                for (String tag : e.tags()) g.writeString(tag);
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeFieldName("payload");
        g.writeRawValue(e.payload().json());
        if (e.ttl() != null) g.writeStringField("ttl", formatTtl(e.ttl()));
        g.writeEndObject();
    }

    public static String toJson(Event e) {
        return new String(toBytes(e), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static byte[] toBytes(Event e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            write(e, g);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    // ---- reading

    /** Reads a stored event written by {@link #toBytes}, including the fields the store sets. */
    public static Event fromBytes(byte[] bytes) {
        JsonNode n = Json.parse(Json.mapper(), bytes);
        NewEvent base = readNewEvent(n);
        Position position = n.hasNonNull("position") ? Position.of(n.get("position").asText()) : null;
        long streamVersion = n.path("streamVersion").asLong(0);
        return new Event(base.id(), base.type(), base.version(), base.source(), base.aggregate(), base.time(),
                Times.parse(n.get("processedAt").asText(), "processedAt"), base.metadata(), base.tags(),
                base.payload(), base.ttl(), position, streamVersion);
    }

    /** Reads one event in the canonical form as a client submits it. */
    public static NewEvent readNewEvent(JsonNode n) {
        if (!n.isObject()) throw new InvalidEventException("an event must be a JSON object, not " + kind(n));
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field) && !STORE_FIELDS.contains(field))
                throw new InvalidEventException("unknown field '" + field + "'; an event has the fields " + FIELDS);
        }
        NewEvent.Builder b = NewEvent.ofType(requiredText(n, "type"));
        b.id(optionalText(n, "id"));
        if (n.has("version")) {
            JsonNode v = n.get("version");
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1)
                throw new InvalidEventException("version must be a whole number >= 1, not " + v);
            b.version(v.asInt());
        }
        b.source(optionalText(n, "source"));
        if (n.hasNonNull("aggregate")) {
            JsonNode a = n.get("aggregate");
            if (!a.isObject()) throw new InvalidEventException("aggregate must be an object {\"type\":..., \"id\":...}");
            b.aggregate(AggregateId.of(requiredText(a, "aggregate.type", "type"), requiredText(a, "aggregate.id", "id")));
        }
        String time = optionalText(n, "time");
        if (time != null) b.time(Times.parse(time, "time"));
        if (n.hasNonNull("metadata")) readMetadata(n.get("metadata"), b);
        if (n.has("payload")) b.payload(RawJson.trusted(Json.write(n.get("payload"))));
        String ttl = optionalText(n, "ttl");
        if (ttl != null) b.ttl(parseTtl(ttl));
        return b.build();
    }

    private static void readMetadata(JsonNode m, NewEvent.Builder b) {
        if (!m.isObject()) throw new InvalidEventException("metadata must be an object of strings, not " + kind(m));
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("tags")) {
                b.tags(readTags(f.getValue(), "metadata.tags"));
            } else if (f.getValue().isTextual()) {
                values.put(f.getKey(), f.getValue().asText());
            } else {
                throw new InvalidEventException("metadata." + f.getKey() + " must be a string, not " + kind(f.getValue()));
            }
        }
        b.metadata(values);
    }

    static List<String> readTags(JsonNode t, String field) {
        if (!t.isArray()) throw new InvalidEventException(field + " must be an array of strings, not " + kind(t));
        List<String> tags = new ArrayList<>();
        for (JsonNode tag : t) {
            if (!tag.isTextual() || tag.asText().isEmpty())
                throw new InvalidEventException(field + " must hold non-empty strings, not " + tag);
            tags.add(tag.asText());
        }
        return tags;
    }

    /**
     * The ISO-8601 form of a TTL: whole days as {@code P30D} (as the docs write it), anything else as
     * {@link Duration#toString()} ({@code PT1H30M}). {@link #parseTtl} reads both.
     */
    public static String formatTtl(Duration ttl) {
        if (ttl.getNano() == 0 && ttl.getSeconds() % 86_400 == 0) return "P" + ttl.toDays() + "D";
        return ttl.toString();
    }

    public static Duration parseTtl(String text) {
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative() || d.isZero()) throw new InvalidEventException("ttl must be positive, not " + text);
            return d;
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("ttl must be an ISO-8601 duration such as P30D or PT1H, not '" + text + "'");
        }
    }

    static String requiredText(JsonNode n, String field) {
        return requiredText(n, field, field);
    }

    static String requiredText(JsonNode n, String label, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw new InvalidEventException(label + " is required");
        if (!v.isTextual()) throw new InvalidEventException(label + " must be a string, not " + kind(v));
        if (v.asText().isEmpty()) throw new InvalidEventException(label + " must not be empty");
        return v.asText();
    }

    static String optionalText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new InvalidEventException(field + " must be a string, not " + kind(v));
        return v.asText();
    }

    static String kind(JsonNode n) {
        JsonNodeType t = n.getNodeType();
        return switch (t) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
            default -> t.name().toLowerCase();
        };
    }
}
