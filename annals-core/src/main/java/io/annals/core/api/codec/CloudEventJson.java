package io.annals.core.api.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import io.annals.core.api.RawJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CloudEvents 1.0 structured JSON ({@code application/cloudevents+json}) both ways. The mapping: {@code id},
 * {@code source}, {@code type}, {@code time} as themselves; {@code subject} is the aggregate id and the extension
 * {@code aggregatetype} its type; {@code data} is the payload; the extension {@code tags} (a comma-separated string or
 * an array) the tags; {@code dataversion} the event's schema version; every other extension becomes metadata.
 * The extension {@code aggregateid}, when present (always with {@code aggregatetype}), names the aggregate instead of
 * {@code subject}; a subject that does not name the aggregate is kept as metadata {@code subject} and written back.
 */
public final class CloudEventJson {
    private static final Set<String> CONTEXT = Set.of("specversion", "id", "source", "type", "time", "subject",
            "data", "data_base64", "datacontenttype", "dataschema", "aggregatetype", "aggregateid", "tags",
            "dataversion", "ttl");

    /**
     * The {@code source} written for an event stored without one (CloudEvents require a source); read back as no
     * source, so that exporting and re-importing such an event is a duplicate, not a conflict.
     */
    public static final String NO_SOURCE = "urn:annals:no-source";

    private CloudEventJson() {}

    public static NewEvent read(JsonNode n) {
        if (!n.isObject()) throw new InvalidEventException("a CloudEvent must be a JSON object, not " + EventJson.kind(n));
        String spec = EventJson.requiredText(n, "specversion");
        if (!spec.equals("1.0")) throw new InvalidEventException("specversion must be \"1.0\", not \"" + spec + "\"");
        NewEvent.Builder b = NewEvent.ofType(EventJson.requiredText(n, "type"));
        b.id(EventJson.requiredText(n, "id"));
        String source = EventJson.requiredText(n, "source");
        if (!source.equals(NO_SOURCE)) b.source(source);
        String time = EventJson.optionalText(n, "time");
        if (time != null) b.time(Times.parse(time, "time"));
        String aggregateType = EventJson.optionalText(n, "aggregatetype");
        String subject = EventJson.optionalText(n, "subject");
        String aggregateId = EventJson.optionalText(n, "aggregateid");
        if (aggregateId != null && aggregateType == null)
            throw new InvalidEventException("aggregateid is set but aggregatetype is not; an aggregate needs both");
        if (aggregateId == null && aggregateType != null) aggregateId = subject;
        if (aggregateType != null && aggregateId != null) b.aggregate(AggregateId.of(aggregateType, aggregateId));
        else if (aggregateType != null)
            throw new InvalidEventException("aggregatetype is set but neither subject nor aggregateid names the aggregate");
        if (n.has("data_base64"))
            throw new InvalidEventException("data_base64 is not supported: send the event's data as JSON in 'data'");
        String contentType = EventJson.optionalText(n, "datacontenttype");
        if (contentType != null && !contentType.contains("json"))
            throw new InvalidEventException("datacontenttype must be JSON (application/json), not '" + contentType + "'");
        if (n.has("data")) b.payload(RawJson.trusted(Json.write(n.get("data"))));
        if (n.has("dataversion")) {
            String v = n.get("dataversion").asText();
            try {
                b.version(Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw new InvalidEventException("dataversion must be a whole number, not '" + v + "'");
            }
        }
        String ttl = EventJson.optionalText(n, "ttl");
        if (ttl != null) b.ttl(EventJson.parseTtl(ttl));
        if (n.has("tags")) {
            JsonNode t = n.get("tags");
            b.tags(t.isTextual() ? Arrays.stream(t.asText().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                    : EventJson.readTags(t, "tags"));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        if (n.hasNonNull("dataschema")) metadata.put("dataschema", n.get("dataschema").asText());
        // a subject that does not name the aggregate is the producer's own: keep it
        if (subject != null && !subject.equals(aggregateId)) metadata.put("subject", subject);
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (CONTEXT.contains(f.getKey())) continue;
            if (f.getValue().isContainerNode())
                throw new InvalidEventException("CloudEvents extension '" + f.getKey() + "' must be a simple value");
            metadata.put(f.getKey(), f.getValue().asText());
        }
        b.metadata(metadata);
        return b.build();
    }

    public static void write(Event e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("specversion", "1.0");
        g.writeStringField("id", e.id());
        g.writeStringField("source", e.source() == null ? NO_SOURCE : e.source());
        g.writeStringField("type", e.type());
        g.writeStringField("time", Times.format(e.time()));
        String subject = e.metadata().get("subject");
        if (subject != null) g.writeStringField("subject", subject);
        if (e.aggregate() != null) {
            if (subject == null) g.writeStringField("subject", e.aggregate().id());
            g.writeStringField("aggregatetype", e.aggregate().type());
            g.writeStringField("aggregateid", e.aggregate().id());
        }
        if (!e.tags().isEmpty()) g.writeStringField("tags", String.join(",", e.tags()));
        if (e.version() != 1) g.writeStringField("dataversion", Integer.toString(e.version()));
        if (e.ttl() != null) g.writeStringField("ttl", EventJson.formatTtl(e.ttl()));
        for (Map.Entry<String, String> m : e.metadata().entrySet()) {
            if (m.getKey().equals("dataschema") || validExtensionName(m.getKey()))
                g.writeStringField(m.getKey(), m.getValue());
        }
        g.writeStringField("datacontenttype", "application/json");
        g.writeFieldName("data");
        g.writeRawValue(e.payload().json());
        g.writeEndObject();
    }

    public static String toJson(Event e) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            write(e, g);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /** CloudEvents extension names are lower-case letters and digits; other metadata keys cannot travel. */
    static boolean validExtensionName(String name) {
        return !name.isEmpty() && name.length() <= 20 && name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                && !CONTEXT.contains(name);
    }

    /** Reads the CloudEvents batch form (a JSON array of events) or one event. */
    public static List<NewEvent> readBatch(JsonNode n) {
        if (n.isArray()) {
            java.util.ArrayList<NewEvent> events = new java.util.ArrayList<>();
            for (JsonNode e : n) events.add(read(e));
            return events;
        }
        return List.of(read(n));
    }
}
