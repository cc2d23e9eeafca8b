package io.annals.core.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * The last (event time, id) a page returned; the next page continues strictly after it in the read's order.
 * Its {@link #encode() text form} is URL-safe and opaque to clients.
 */
public record Cursor(Instant time, String id) {
    public Cursor {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(id, "id");
    }

    public static Cursor after(Event event) {
        return new Cursor(event.time(), event.id());
    }

    public String encode() {
        long micros = io.annals.core.api.codec.Times.toMicros(time);
        String text = micros + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            long micros = Long.parseLong(text.substring(0, colon));
            Instant time = io.annals.core.api.codec.Times.fromMicros(micros);
            return new Cursor(time, text.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("continueFrom is not a continuation token annals issued: '" + token + "'");
        }
    }
}
