package io.annals.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.Event;
import io.annals.core.api.NewEvent;
import io.annals.core.api.codec.CloudEventJson;
import io.annals.core.api.codec.EventJson;

/** The line formats of import and export: the canonical annals JSON or CloudEvents 1.0 structured JSON. */
enum EventFormat {
    AUTO, ANNALS, CLOUDEVENTS;

    /** The event of one JSON object; {@link #AUTO} tells the two forms apart by CloudEvents' {@code specversion}. */
    NewEvent read(JsonNode n) {
        EventFormat f = this == AUTO ? detect(n) : this;
        return f == CLOUDEVENTS ? CloudEventJson.read(n) : EventJson.readNewEvent(n);
    }

    static EventFormat detect(JsonNode n) {
        JsonNode first = n.isArray() && n.size() > 0 ? n.get(0) : n;
        return first.isObject() && first.has("specversion") ? CLOUDEVENTS : ANNALS;
    }

    String write(Event e) {
        return this == CLOUDEVENTS ? CloudEventJson.toJson(e) : EventJson.toJson(e);
    }

    /** Accepts the names in any case, so that {@code --format cloudevents} works. */
    static EventFormat parse(String text) {
        try {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format must be annals, cloudevents or auto, not '" + text + "'");
        }
    }
}
