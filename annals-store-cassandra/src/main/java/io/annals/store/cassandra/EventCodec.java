package io.annals.store.cassandra;

import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import io.annals.core.api.codec.Times;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code data} column of every table: the whole event as a compact binary record (a format byte, flags, then
 * each field in a fixed order: strings as a varint length and UTF-8 bytes, times as microseconds, the payload as its
 * compact JSON text). Reading it parses no JSON, which keeps pages of thousands of events cheap. The format byte lets
 * a later layout be read next to this one.
 */
final class EventCodec {
    private static final byte FORMAT_1 = 1;
    private static final int HAS_SOURCE = 1, HAS_AGGREGATE = 2, HAS_TTL = 4, HAS_POSITION = 8;

    private EventCodec() {}

    static ByteBuffer encode(Event e) {
        Out out = new Out(128 + 2 * e.payload().json().length());
        out.write(FORMAT_1);
        out.varint((e.source() != null ? HAS_SOURCE : 0) | (e.aggregate() != null ? HAS_AGGREGATE : 0)
                | (e.ttl() != null ? HAS_TTL : 0) | (e.position() != null ? HAS_POSITION : 0));
        out.string(e.id());
        out.string(e.type());
        out.varint(e.version());
        if (e.source() != null) out.string(e.source());
        if (e.aggregate() != null) {
            out.string(e.aggregate().type());
            out.string(e.aggregate().id());
        }
        out.fixed(Times.toMicros(e.time()));
        out.fixed(Times.toMicros(e.processedAt()));
        out.varint(e.metadata().size());
        for (Map.Entry<String, String> m : e.metadata().entrySet()) {
            out.string(m.getKey());
            out.string(m.getValue());
        }
        out.varint(e.tags().size());
        for (String tag : e.tags()) out.string(tag);
        out.string(e.payload().json());
        if (e.ttl() != null) {
            out.fixed(e.ttl().getSeconds());
            out.varint(e.ttl().getNano());
        }
        if (e.position() != null) out.string(e.position().value());
        out.fixed(e.streamVersion());
        return ByteBuffer.wrap(out.bytes());
    }

    static Event decode(ByteBuffer data) {
        ByteBuffer in = data.duplicate();
        byte format = in.get();
        if (format != FORMAT_1) throw new IllegalStateException("unknown stored event format " + format);
        int flags = varint(in);
        String id = string(in);
        String type = string(in);
        int version = varint(in);
        String source = (flags & HAS_SOURCE) != 0 ? string(in) : null;
        AggregateId aggregate = (flags & HAS_AGGREGATE) != 0 ? new AggregateId(string(in), string(in)) : null;
        long time = in.getLong();
        long processedAt = in.getLong();
        int metaCount = varint(in);
        Map<String, String> metadata = metaCount == 0 ? Map.of() : new LinkedHashMap<>();
        for (int i = 0; i < metaCount; i++) metadata.put(string(in), string(in));
        int tagCount = varint(in);
        List<String> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) tags.add(string(in));
        RawJson payload = RawJson.trusted(string(in));
        Duration ttl = null;
        if ((flags & HAS_TTL) != 0) {
            long seconds = in.getLong();
            ttl = Duration.ofSeconds(seconds, varint(in));
        }
        Position position = (flags & HAS_POSITION) != 0 ? Position.of(string(in)) : null;
        long streamVersion = in.getLong();
        return new Event(id, type, version, source, aggregate, Times.fromMicros(time), Times.fromMicros(processedAt),
                metaCount == 0 ? metadata : Collections.unmodifiableMap(metadata), Collections.unmodifiableList(tags),
                payload, ttl, position, streamVersion);
    }

    private static int varint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }

    private static String string(ByteBuffer in) {
        int length = varint(in);
        String s;
        if (in.hasArray()) {
            s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[length];
            in.duplicate().get(bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        in.position(in.position() + length);
        return s;
    }

    /** A growable byte array with the encodings above. */
    private static final class Out extends ByteArrayOutputStream {
        Out(int size) {
            super(size);
        }

        void varint(int value) {
            int v = value;
            while ((v & ~0x7F) != 0) {
                write((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            write(v);
        }

        void fixed(long value) {
            for (int shift = 56; shift >= 0; shift -= 8) write((int) (value >>> shift));
        }

        void string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length);
            write(bytes, 0, bytes.length);
        }

        byte[] bytes() {
            return toByteArray();
        }
    }
}
