package io.annals.sourcing.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** An event as stored: its type name, version and JSON payload. What an {@link Upcaster} reads and writes. */
public record EventData(String name, int version, ObjectNode payload) {
    public EventData {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(payload, "payload");
        if (version < 1) throw new IllegalArgumentException("an event version must be >= 1, not " + version);
    }
}
