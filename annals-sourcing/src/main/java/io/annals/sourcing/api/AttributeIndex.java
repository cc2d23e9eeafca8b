package io.annals.sourcing.api;

import io.annals.core.api.KeyValues;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the aggregates of one type by the latest value of an attribute, latest by <em>event time</em> (then event
 * id): an event that arrives late with an older time does not overwrite a newer value.
 * <pre>{@code
 * AttributeIndex byWattage = AttributeIndex.of(sourcing, "bulbs-by-wattage", LightbulbEvent.class)
 *         .value(Created.class, Created::wattage)
 *         .start();
 * IdPage sixty = byWattage.find(60);
 * }</pre>
 * Values are compared as {@code String.valueOf(value)}; an attribute function that answers null leaves the index as
 * it is. It is a {@link View} (named as given), so it resumes where it stopped, runs on one instance at a time and
 * can be rebuilt; its ids spread over {@code buckets} spaces per value (changing the number needs a rebuild).
 * Queries read what is committed, so an event shows shortly after it is appended. Thread-safe.
 */
public final class AttributeIndex implements AutoCloseable {
    private static final int LITERAL_VALUE_MAX = 100;
    private final View view;
    private final Buckets buckets;

    private AttributeIndex(View view, Buckets buckets) {
        this.view = view;
        this.buckets = buckets;
    }

    public static <E> Builder<E> of(Sourcing sourcing, String name, Class<E> events) {
        return new Builder<>(sourcing, name, events);
    }

    /** The first page (up to 100) of the aggregates whose attribute is now {@code value}. */
    public IdPage find(Object value) {
        return find(value, null, 100);
    }

    /** A page of up to {@code limit} aggregates whose attribute is now {@code value}, after {@code continuation} (null first). */
    public IdPage find(Object value, String continuation, int limit) {
        String v = String.valueOf(Objects.requireNonNull(value, "value"));
        return buckets.page(view.data(), b -> valueSpace(v, b), continuation, limit);
    }

    /** The latest value of the attribute of aggregate {@code id}, if an event gave it one. */
    public Optional<String> valueOf(String id) {
        return view.data().get(aggregateSpace(buckets.of(id)), id).map(Latest::decode).map(Latest::value);
    }

    /** The view behind the index: its status, a rebuild. */
    public View view() {
        return view;
    }

    @Override
    public void close() {
        view.close();
    }

    private static String aggregateSpace(int bucket) {
        return "a" + bucket;
    }

    /** A short value in clear, a long one by its SHA-256 (space names are bounded). */
    private static String valueSpace(String value, int bucket) {
        return "v" + bucket + (value.length() <= LITERAL_VALUE_MAX ? "=" + value : "#" + sha256(value));
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <E> ViewHandler<E> handler(Map<Class<?>, Function<Object, ?>> attributes, Buckets buckets) {
        return (event, view) -> {
            Function<Object, ?> attribute = attributeOf(attributes, event.event().getClass());
            Object raw = attribute == null ? null : attribute.apply(event.event());
            if (raw == null) return;
            String id = event.aggregate().id();
            int bucket = buckets.of(id);
            Latest next = new Latest(event.time(), event.id(), String.valueOf(raw));
            Optional<Latest> current = view.get(aggregateSpace(bucket), id).map(Latest::decode);
            if (current.isPresent()) {
                if (!next.isAfter(current.get())) return; // a late event: the value it carries is older
                view.delete(valueSpace(current.get().value, bucket), id);
            }
            view.put(valueSpace(next.value, bucket), id, Buckets.EMPTY);
            view.put(aggregateSpace(bucket), id, next.encode());
        };
    }

    private static Function<Object, ?> attributeOf(Map<Class<?>, Function<Object, ?>> attributes, Class<?> type) {
        Function<Object, ?> f = attributes.get(type);
        if (f != null) return f;
        for (Class<?> i : type.getInterfaces()) {
            f = attributeOf(attributes, i);
            if (f != null) return f;
        }
        return null;
    }

    /** An aggregate's latest value and the event that gave it. */
    private record Latest(Instant time, String eventId, String value) {

        boolean isAfter(Latest other) {
            int byTime = time.compareTo(other.time);
            if (byTime != 0) return byTime > 0;
            return Arrays.compareUnsigned(eventId.getBytes(StandardCharsets.UTF_8),
                    other.eventId.getBytes(StandardCharsets.UTF_8)) > 0;
        }

        byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeLong(time.getEpochSecond());
                out.writeInt(time.getNano());
                writeString(out, eventId);
                writeString(out, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        static Latest decode(byte[] value) {
            try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
                Instant time = Instant.ofEpochSecond(in.readLong(), in.readInt());
                return new Latest(time, readString(in), readString(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void writeString(DataOutputStream out, String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }

        private static String readString(DataInputStream in) throws IOException {
            return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
        }
    }

    /** Sets an index up; {@link #start()} starts its view. */
    public static final class Builder<E> {
        private final Sourcing sourcing;
        private final String name;
        private final Class<E> events;
        private final Map<Class<?>, Function<Object, ?>> attributes = new LinkedHashMap<>();
        private int buckets = 16;
        private Integer batchSize;
        private Duration leaseTtl;
        private KeyValues store;

        private Builder(Sourcing sourcing, String name, Class<E> events) {
            this.sourcing = Objects.requireNonNull(sourcing, "sourcing");
            this.name = name;
            this.events = Objects.requireNonNull(events, "events");
            sourcing.domain().aggregateType(events); // fails at once when the aggregate is not in the domain
        }

        /**
         * Events of {@code type} (a record or sealed sub-interface under the index's events) set the attribute to
         * what {@code attribute} answers for them (null: no change).
         */
        @SuppressWarnings("unchecked")
        public <T extends E> Builder<E> value(Class<T> type, Function<? super T, ?> attribute) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(attribute, "attribute");
            if (type == events || !events.isAssignableFrom(type))
                throw new IllegalArgumentException(type.getName() + " is not an event type under " + events.getName()
                        + ": give the records (or sealed sub-interfaces) whose events carry the attribute");
            if (attributes.putIfAbsent(type, (Function<Object, ?>) attribute) != null)
                throw new IllegalArgumentException(type.getName() + " already has an attribute function in this index");
            return this;
        }

        /** How many spaces each value's ids (and the latest values) are spread over; default 16. */
        public Builder<E> buckets(int buckets) {
            new Buckets(buckets);
            this.buckets = buckets;
            return this;
        }

        /** See {@link View.Builder#batchSize}. */
        public Builder<E> batchSize(int events) {
            this.batchSize = events;
            return this;
        }

        /** See {@link View.Builder#leaseTtl}. */
        public Builder<E> leaseTtl(Duration ttl) {
            this.leaseTtl = ttl;
            return this;
        }

        /** See {@link View.Builder#keyValues}. */
        public Builder<E> keyValues(KeyValues store) {
            this.store = store;
            return this;
        }

        public AttributeIndex start() {
            if (attributes.isEmpty())
                throw new IllegalStateException("index " + name + " has no attribute: call value(EventType.class, e -> ...)");
            Buckets b = new Buckets(buckets);
            View.Builder<E> view = sourcing.view(name, events, handler(Map.copyOf(attributes), b));
            if (batchSize != null) view.batchSize(batchSize);
            if (leaseTtl != null) view.leaseTtl(leaseTtl);
            if (store != null) view.keyValues(store);
            return new AttributeIndex(view.start(), b);
        }
    }
}
