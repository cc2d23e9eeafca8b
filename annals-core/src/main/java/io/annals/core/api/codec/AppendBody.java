package io.annals.core.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The body of {@code POST /api/events}: one event object, an array of events, or
 * {@code {"events": [...], "expectedVersion": "any" | "noStream" | N}}. With {@code cloudEvents}, a CloudEvent or a
 * CloudEvents batch (array).
 */
public final class AppendBody {
    private AppendBody() {}

    public static AppendRequest read(JsonNode n, boolean cloudEvents) {
        if (n == null || n.isMissingNode()) throw new InvalidEventException("the body is empty; send an event as JSON");
        if (cloudEvents) return AppendRequest.of(CloudEventJson.readBatch(n));
        if (n.isArray()) return AppendRequest.of(readEvents(n));
        if (n.isObject() && n.has("events")) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("events") && !f.equals("expectedVersion"))
                    throw new InvalidEventException("unknown field '" + f + "' beside 'events'; a batch has 'events' and"
                            + " optionally 'expectedVersion'");
            }
            JsonNode events = n.get("events");
            if (!events.isArray()) throw new InvalidEventException("events must be an array of events");
            return AppendRequest.of(readEvents(events)).expecting(expectedVersion(n.get("expectedVersion")));
        }
        return AppendRequest.of(EventJson.readNewEvent(n));
    }

    static ExpectedVersion expectedVersion(JsonNode v) {
        if (v == null || v.isNull()) return ExpectedVersion.any();
        if (v.isIntegralNumber() && v.asLong() >= 0) return ExpectedVersion.exactly(v.asLong());
        if (v.isTextual()) {
            try {
                return ExpectedVersion.parse(v.asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidEventException(e.getMessage());
            }
        }
        throw new InvalidEventException("expectedVersion must be \"any\", \"noStream\" or a stream version number, not " + v);
    }

    private static List<NewEvent> readEvents(JsonNode array) {
        List<NewEvent> events = new ArrayList<>(array.size());
        int i = 0;
        for (JsonNode e : array) {
            try {
                events.add(EventJson.readNewEvent(e));
            } catch (InvalidEventException ex) {
                throw new InvalidEventException("events[" + i + "]: " + ex.getMessage());
            }
            i++;
        }
        return events;
    }
}
