package io.annals.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.Cursor;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.codec.EventJson;
import io.annals.core.api.codec.Json;
import io.annals.core.api.codec.Times;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The JSON bodies of the HTTP API, both ways, on the core codecs. */
public final class Wire {
    private static final List<String> SUBMITTED_FIELDS =
            List.of("id", "type", "version", "source", "aggregate", "time", "metadata", "payload", "ttl");

    private Wire() {}

    // ---- requests

    /** {@code {"events":[...],"expectedVersion":"..."}} (the batch form, which also carries a single event). */
    public static byte[] appendBody(AppendRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * request.events().size() + 64);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("events");
            for (NewEvent e : request.events()) EventJson.writeNewEvent(e, g);
            g.writeEndArray();
            if (!(request.expectedVersion() instanceof ExpectedVersion.Any))
                g.writeStringField("expectedVersion", request.expectedVersion().text());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }


    // ---- responses

    public static AppendResult appendResult(JsonNode body) {
        List<Appended> appended = new ArrayList<>();
        for (JsonNode a : body.path("events")) {
            appended.add(new Appended(a.path("id").asText(),
                    a.hasNonNull("position") ? Position.of(a.get("position").asText()) : null,
                    a.path("streamVersion").asLong(0),
                    a.path("duplicate").asBoolean(false)));
        }
        return new AppendResult(appended);
    }

    /**
     * A stored event as the server writes it (the canonical form with processedAt, position, streamVersion).
     * Members this client does not know are ignored, so that a newer server that adds one does not break it.
     */
    public static Event event(JsonNode n) {
        if (!n.isObject()) throw new IllegalStateException("the server sent an event that is not a JSON object: " + n);
        ObjectNode submitted = Json.mapper().createObjectNode();
        for (String field : SUBMITTED_FIELDS) {
            if (n.has(field)) submitted.set(field, n.get(field));
        }
        NewEvent base = EventJson.readNewEvent(submitted);
        Position position = n.hasNonNull("position") ? Position.of(n.get("position").asText()) : null;
        String processedAt = n.path("processedAt").asText(null);
        return new Event(base.id(), base.type(), base.version(), base.source(), base.aggregate(), base.time(),
                processedAt == null ? base.time() : Times.parse(processedAt, "processedAt"), base.metadata(),
                base.tags(), base.payload(), base.ttl(), position, n.path("streamVersion").asLong(0));
    }

    public static List<Event> events(JsonNode body) {
        List<Event> events = new ArrayList<>(body.path("events").size());
        for (JsonNode e : body.path("events")) events.add(event(e));
        return events;
    }

    public static EventPage eventPage(JsonNode body) {
        List<Event> events = events(body);
        return new EventPage(events, next(body, events));
    }

    public static AggregatePage aggregatePage(JsonNode body, long etagVersion) {
        List<Event> events = events(body);
        long version = body.hasNonNull("streamVersion") ? body.get("streamVersion").asLong() : etagVersion;
        return new AggregatePage(events, next(body, events), version);
    }

    public static LogPage logPage(JsonNode body, Position after) {
        String next = body.path("next").asText(null);
        return new LogPage(events(body), next == null ? after : Position.of(next));
    }

    /**
     * The cursor of the next page, from the continuation link. The server encodes the last (time, id) of the page
     * as core's {@link Cursor}; if a token cannot be read that way, the page's last event marks the place, which is
     * what the token means.
     */
    private static Cursor next(JsonNode body, List<Event> events) {
        String continuation = body.path("continuation").asText(null);
        if (continuation == null || continuation.isEmpty()) return null;
        String token = Urls.param(continuation, "continueFrom");
        if (token != null) {
            try {
                return Cursor.decode(token);
            } catch (IllegalArgumentException e) {
                // fall through to the last event
            }
        }
        if (events.isEmpty())
            throw new IllegalStateException("the server sent a continuation without events: " + continuation);
        return Cursor.after(events.get(events.size() - 1));
    }
}
