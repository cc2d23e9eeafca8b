package io.annals.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import io.annals.core.api.Event;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import io.annals.core.api.codec.EventJson;
import io.annals.core.api.codec.Json;
import io.annals.store.rocksdb.StoredForm;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

/**
 * The events every scenario writes: one of {@value #TYPES} types, one of {@value #TAGS} tags, one of
 * {@value #AGGREGATES} aggregates, and a payload padded so that the event as a client posts it is about
 * {@code bodyBytes} long (300 by default, as in the baselines). Not thread-safe: use one per worker.
 */
final class EventFactory {
    static final int TYPES = 10;
    static final int TAGS = 20;
    static final int AGGREGATES = 100_000;

    private final Random random;
    private final String padding;
    private final String paddingWithTime;

    EventFactory(long seed, int bodyBytes) {
        this.random = new Random(seed);
        this.padding = "x".repeat(Math.max(0, bodyBytes - json(event(0, 0, 0, null, "")).length()));
        Instant sample = Instant.parse("2026-01-01T00:00:00.000001Z");
        this.paddingWithTime = "x".repeat(Math.max(0, bodyBytes - json(event(0, 0, 0, sample, "")).length()));
    }

    static String type(int i) {
        return "bench.type-" + i;
    }

    static String tag(int i) {
        return "tag-" + i;
    }

    /** The next event; {@code time} null lets the store use the receipt time. */
    NewEvent next(Instant time) {
        return event(random.nextInt(TYPES), random.nextInt(TAGS), random.nextInt(AGGREGATES), time,
                time == null ? padding : paddingWithTime);
    }

    /** A batch of {@code n} events with receipt times. */
    List<NewEvent> batch(int n) {
        NewEvent[] events = new NewEvent[n];
        for (int i = 0; i < n; i++) events[i] = next(null);
        return List.of(events);
    }

    Random random() {
        return random;
    }

    private static NewEvent event(int type, int tag, int aggregate, Instant time, String padding) {
        String aggregateId = "order-" + aggregate;
        return NewEvent.ofType(type(type))
                .source("annals-bench")
                .aggregate("order", aggregateId)
                .time(time)
                .tag(tag(tag))
                .payload(RawJson.trusted("{\"orderId\":\"" + aggregateId + "\",\"amount\":\"123.45\",\"currency\":\"GBP\","
                        + "\"note\":\"" + padding + "\"}"))
                .build();
    }

    /** The event in the canonical JSON form a client posts. */
    static String json(NewEvent e) {
        StringWriter out = new StringWriter(400);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            EventJson.writeNewEvent(e, g);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /** Events as one JSON array, the batch form of {@code POST /api/events}. */
    static String jsonArray(List<NewEvent> events) {
        StringWriter out = new StringWriter(400 * events.size());
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (NewEvent e : events) EventJson.writeNewEvent(e, g);
            g.writeEndArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /** The event as the RocksDB engine stores it (with id, times, position and stream version), for the raw baseline. */
    static byte[] storedBytes(NewEvent e, String id, long position, long streamVersion) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Event stored = new Event(id, e.type(), e.version(), e.source(), e.aggregate(), e.time() == null ? now : e.time(),
                now, e.metadata(), e.tags(), e.payload(), e.ttl(), Position.of(Long.toString(position)), streamVersion);
        return StoredForm.encode(stored);
    }
}
