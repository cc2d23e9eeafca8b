package io.annals.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.Event;
import io.annals.core.api.codec.EventJson;
import io.annals.core.api.codec.Json;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Response bodies, written straight to bytes with Jackson's streaming generator. */
final class JsonOut {
    private JsonOut() {}

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * Writes a JSON answer straight to the response stream. {@code ctx.result(bytes)} would have Javalin copy the
     * bytes through a fresh 32 KiB buffer on every request (most of what an append allocated); one write of the whole
     * body is the same for compression (Javalin decides on the size of the first write) and for Content-Length.
     */
    static void send(Context ctx, byte[] body) {
        ctx.contentType(EventRoutes.JSON);
        try {
            ctx.outputStream().write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("the answer could not be written: " + e.getMessage(), e);
        }
    }

    static byte[] bytes(Body body) {
        return bytes(body, 1024);
    }

    /** The body written to bytes; {@code sizeHint} is the buffer's first size. */
    static byte[] bytes(Body body, int sizeHint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code {"events":[...], <extra>}}: a page of events followed by whatever {@code extra} writes. */
    static byte[] page(List<Event> events, Body extra) {
        return bytes(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("events");
            for (Event e : events) EventJson.write(e, g);
            g.writeEndArray();
            extra.write(g);
            g.writeEndObject();
        }, 256 + 512 * events.size());
    }

    /** The answer to an append; {@code hasAggregate[i]} says whether event i belongs to a stream. */
    static byte[] appended(AppendResult result, boolean[] hasAggregate) {
        return bytes(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("events");
            List<Appended> events = result.events();
            for (int i = 0; i < events.size(); i++) {
                Appended a = events.get(i);
                g.writeStartObject();
                g.writeStringField("id", a.id());
                g.writeStringField("position", a.position().value());
                if (hasAggregate[i]) g.writeNumberField("streamVersion", a.streamVersion());
                g.writeBooleanField("duplicate", a.duplicate());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }, 16 + 100 * result.events().size());
    }
}
