package io.annals.core.api;

import io.annals.core.api.codec.Json;
import java.util.Objects;

/**
 * A JSON value kept exactly as the client sent it, apart from insignificant whitespace: numbers keep their
 * digits and scale, objects keep their key order. Equality is by the compact text.
 */
public final class RawJson {
    public static final RawJson NULL = new RawJson("null");
    private final String compact;

    private RawJson(String compact) {
        this.compact = compact;
    }

    /** Parses and compacts {@code json}; throws {@link InvalidEventException} when it is not one JSON value. */
    public static RawJson parse(String json) {
        return new RawJson(Json.compact(json));
    }

    /** Wraps text that is already compact, valid JSON (as written by annals itself); no check is made. */
    public static RawJson trusted(String compactJson) {
        return new RawJson(Objects.requireNonNull(compactJson));
    }

    public String json() {
        return compact;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawJson other && other.compact.equals(compact);
    }

    @Override
    public int hashCode() {
        return compact.hashCode();
    }

    @Override
    public String toString() {
        return compact;
    }
}
