package io.annals.core.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored event, immutable. {@code time} is when the source says it happened, {@code processedAt} when annals
 * captured it; both are kept to the microsecond. {@code position} is its place in the global log and
 * {@code streamVersion} its number in its aggregate's stream (0 when it has no aggregate).
 *
 * @param aggregate null when the event belongs to no aggregate
 * @param source    null when the client named none
 * @param ttl       null when the event never expires; counted from {@code processedAt}
 */
public record Event(
        String id,
        String type,
        int version,
        String source,
        AggregateId aggregate,
        Instant time,
        Instant processedAt,
        Map<String, String> metadata,
        List<String> tags,
        RawJson payload,
        Duration ttl,
        Position position,
        long streamVersion) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(processedAt, "processedAt");
        metadata = metadata == null ? Map.of() : metadata;
        tags = tags == null ? List.of() : tags;
        payload = payload == null ? RawJson.NULL : payload;
    }

    /** When this event stops being readable, or null if never. */
    public Instant expiresAt() {
        return ttl == null ? null : processedAt.plus(ttl);
    }

    public boolean isExpiredAt(Instant now) {
        Instant expiry = expiresAt();
        return expiry != null && !now.isBefore(expiry);
    }

    /** This event as stored at {@code newPosition} with stream number {@code newStreamVersion}. */
    public Event at(Position newPosition, long newStreamVersion) {
        return new Event(id, type, version, source, aggregate, time, processedAt, metadata, tags, payload, ttl,
                newPosition, newStreamVersion);
    }

    /**
     * True when {@code other} carries the same content, so that an append of it is a harmless repeat.
     * Capture time, position and stream version are not content; event time counts only when
     * {@code compareTime} (the client supplied it on the repeat).
     */
    public boolean sameContentAs(Event other, boolean compareTime) {
        return id.equals(other.id) && type.equals(other.type) && version == other.version
                && Objects.equals(source, other.source) && Objects.equals(aggregate, other.aggregate)
                && (!compareTime || time.equals(other.time))
                && metadata.equals(other.metadata) && tags.equals(other.tags)
                && payload.equals(other.payload) && Objects.equals(ttl, other.ttl);
    }
}
