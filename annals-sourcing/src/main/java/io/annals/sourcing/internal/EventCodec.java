package io.annals.sourcing.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.core.api.Event;
import io.annals.core.api.NewEvent;
import io.annals.core.api.RawJson;
import io.annals.sourcing.api.EventData;
import io.annals.sourcing.api.Recorded;
import io.annals.sourcing.api.Upcaster;

/** Records to stored events and back, upcasting old forms on the way in. Thread-safe. */
public final class EventCodec {
    private static final int MAX_UPCASTS = 100;
    private final EventTypes types;
    private final ObjectMapper mapper;
    /** The mapper's writer without indentation, so its text is compact JSON that needs no second parse. */
    private final ObjectWriter writer;

    public EventCodec(EventTypes types, ObjectMapper mapper) {
        this.types = types;
        this.mapper = mapper;
        this.writer = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
    }

    public NewEvent encode(Recorded<?> r) {
        EventType type = types.of(r.event().getClass());
        String json;
        try {
            json = writer.writeValueAsString(r.event());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + type.name() + " as JSON: " + e.getOriginalMessage(), e);
        }
        return NewEvent.ofType(type.name()).version(type.version()).id(r.id()).aggregate(r.aggregate())
                .time(r.time()).metadata(r.metadata()).payload(RawJson.trusted(json)).build();
    }

    /** The stored event as its current record, through the upcasters when it is in an older form. */
    public Recorded<Object> decode(Event e) {
        EventType stored = types.named(e.type());
        if (stored != null && stored.version() == Math.max(1, e.version())) {
            // the current form: straight from the text to the record, without a tree
            Object event;
            try {
                event = mapper.readValue(e.payload().json(), stored.record());
            } catch (JsonProcessingException | IllegalArgumentException x) {
                throw new IllegalStateException("event " + e.id() + " (" + e.type() + " v" + stored.version()
                        + ") does not fit " + stored.record().getName() + ": " + x.getMessage(), x);
            }
            if (event == null)
                throw new IllegalStateException("event " + e.id() + " (" + e.type() + ") has a null payload, so it"
                        + " cannot be a record");
            return new Recorded<>(e.id(), e.aggregate(), e.time(), event, e.metadata(), e.streamVersion());
        }
        EventData data = new EventData(e.type(), Math.max(1, e.version()), payload(e));
        for (int steps = 0; ; steps++) {
            EventType current = types.named(data.name());
            if (current != null && current.version() == data.version()) break;
            Upcaster next = types.upcasterFrom(data.name(), data.version());
            if (next == null || steps == MAX_UPCASTS)
                throw new IllegalStateException("event " + e.id() + " is " + data.name() + " v" + data.version()
                        + ", which is no current event of the domain and has no upcaster: register the record or an"
                        + " Upcaster.from(\"" + data.name() + "\", " + data.version() + ")");
            data = next.apply(data);
        }
        EventType type = types.named(data.name());
        Object event;
        try {
            event = mapper.treeToValue(data.payload(), type.record());
        } catch (JsonProcessingException | IllegalArgumentException x) {
            throw new IllegalStateException("event " + e.id() + " (" + data.name() + " v" + data.version()
                    + ") does not fit " + type.record().getName() + ": " + x.getMessage(), x);
        }
        return new Recorded<>(e.id(), e.aggregate(), e.time(), event, e.metadata(), e.streamVersion());
    }

    private ObjectNode payload(Event e) {
        try {
            JsonNode node = mapper.readTree(e.payload().json());
            if (node instanceof ObjectNode object) return object;
        } catch (JsonProcessingException x) {
            throw new IllegalStateException("event " + e.id() + " has a payload that is not JSON", x);
        }
        throw new IllegalStateException("event " + e.id() + " (" + e.type() + ") has a payload that is not a JSON"
                + " object, so it cannot be a record");
    }

    public EventTypes types() {
        return types;
    }

    /** The domain's Jackson mapper (also for snapshots of state). */
    public ObjectMapper mapper() {
        return mapper;
    }
}
