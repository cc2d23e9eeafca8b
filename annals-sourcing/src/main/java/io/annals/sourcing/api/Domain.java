package io.annals.sourcing.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.annals.sourcing.internal.EventCodec;
import io.annals.sourcing.internal.EventTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The event types of an application, checked once at start-up:
 * {@code Domain.builder().aggregate(ParcelEvent.class).upcaster(...).build()}.
 * <p>{@link #builder()}{@code .build()} fails with an {@link IllegalArgumentException} that says what to change
 * when an interface is not sealed or has no {@link AggregateType}, an implementation is not a record, two records
 * share an event name, two interfaces share an aggregate type, a record cannot be written or read by Jackson, or
 * an upcaster could never run or leads nowhere. Immutable and thread-safe.
 */
public final class Domain {
    private final EventCodec codec;

    private Domain(EventCodec codec) {
        this.codec = codec;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The aggregate type name of a registered sealed interface of events. */
    public String aggregateType(Class<?> events) {
        return codec.types().aggregateType(events);
    }

    /** The event type name stored for a registered record. */
    public String eventName(Class<? extends Record> event) {
        return codec.types().of(event).name();
    }

    /** The current version of a registered record's event type. */
    public int eventVersion(Class<? extends Record> event) {
        return codec.types().of(event).version();
    }

    EventCodec codec() {
        return codec;
    }

    /** Collects the domain's parts; {@link #build()} checks them all. */
    public static final class Builder {
        private final List<Class<?>> aggregates = new ArrayList<>();
        private final List<Upcaster> upcasters = new ArrayList<>();
        private ObjectMapper mapper;

        /** Registers the events of one aggregate type: a sealed interface annotated {@link AggregateType}. */
        public Builder aggregate(Class<?> events) {
            aggregates.add(Objects.requireNonNull(events, "events"));
            return this;
        }

        public Builder upcaster(Upcaster upcaster) {
            upcasters.add(Objects.requireNonNull(upcaster, "upcaster"));
            return this;
        }

        /**
         * The Jackson mapper for payloads. The default writes java.time values as ISO-8601 text and fails on
         * unknown properties (an old form of an event needs an {@link Upcaster}).
         */
        public Builder mapper(ObjectMapper jackson) {
            this.mapper = Objects.requireNonNull(jackson, "mapper");
            return this;
        }

        public Domain build() {
            if (aggregates.isEmpty())
                throw new IllegalStateException("a domain needs at least one aggregate: call aggregate(...)");
            ObjectMapper m = mapper != null ? mapper : JsonMapper.builder().addModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
            return new Domain(new EventCodec(new EventTypes(aggregates, upcasters, m), m));
        }
    }
}
