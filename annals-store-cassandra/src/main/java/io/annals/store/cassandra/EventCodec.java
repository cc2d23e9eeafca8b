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
 * a later layout be read next to this one: format 2 (written since schema version 4) stores the log position as its
 * log time alone (the id is already there), the event time not at all when it is the capture time, and the stream
 * version as a varint, some 60 bytes less for every one of an event's five copies; format 1 is still read.
 */
final class EventCodec {
    private static final byte FORMAT_1 = 1, FORMAT_2 = 2;
    private static final int HAS_SOURCE = 1, HAS_AGGREGATE = 2, HAS_TTL = 4, HAS_POSITION = 8;
    /** Format 2: the position is {@code <log time>:<id>}, stored as the log time; the event time is the capture time. */
    private static final int LOG_POSITION = 16, TIME_IS_CAPTURE = 32;

    private EventCodec() {}

    static ByteBuffer encode(Event e) {
        Out out = new Out(128 + 2 * e.payload().json().length());
        out.write(FORMAT_2);
        long ltime = e.position() == null ? -1 : logTime(e.position().value(), e.id());
        boolean timeIsCapture = e.time().equals(e.processedAt());
        out.varint((e.source() != null ? HAS_SOURCE : 0) | (e.aggregate() != null ? HAS_AGGREGATE : 0)
                | (e.ttl() != null ? HAS_TTL : 0) | (e.position() != null ? (ltime >= 0 ? LOG_POSITION : HAS_POSITION) : 0)
                | (timeIsCapture ? TIME_IS_CAPTURE : 0));
        out.string(e.id());
        out.string(e.type());
        out.varint(e.version());
        if (e.source() != null) out.string(e.source());
        if (e.aggregate() != null) {
            out.string(e.aggregate().type());
            out.string(e.aggregate().id());
        }
        if (!timeIsCapture) out.fixed(Times.toMicros(e.time()));
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
        if (ltime >= 0) out.varlong(ltime);
        else if (e.position() != null) out.string(e.position().value());
        out.varlong(e.streamVersion());
        return ByteBuffer.wrap(out.bytes());
    }

    /** The log time of a position {@code <ltime>:<id>} in its canonical form ({@link Keys#position}), or -1. */
    private static long logTime(String position, String id) {
        int colon = position.indexOf(':');
        if (colon < 1 || colon > 19 || position.length() != colon + 1 + id.length() || !position.endsWith(id)) return -1;
        long ltime = 0;
        for (int i = 0; i < colon; i++) {
            char c = position.charAt(i);
            if (c < '0' || c > '9' || (i == 0 && c == '0' && colon > 1)) return -1;
            ltime = ltime * 10 + (c - '0');
            if (ltime < 0) return -1;
        }
        return ltime;
    }

    static Event decode(ByteBuffer data) {
        ByteBuffer in = data.duplicate();
        byte format = in.get();
        if (format != FORMAT_1 && format != FORMAT_2) throw new IllegalStateException("unknown stored event format " + format);
        int flags = varint(in);
        String id = string(in);
        String type = string(in);
        int version = varint(in);
        String source = (flags & HAS_SOURCE) != 0 ? string(in) : null;
        AggregateId aggregate = (flags & HAS_AGGREGATE) != 0 ? new AggregateId(string(in), string(in)) : null;
        boolean timeIsCapture = (flags & TIME_IS_CAPTURE) != 0;
        long time = timeIsCapture ? 0 : in.getLong();
        long processedAt = in.getLong();
        if (timeIsCapture) time = processedAt;
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
        Position position = (flags & HAS_POSITION) != 0 ? Position.of(string(in))
                : (flags & LOG_POSITION) != 0 ? Keys.position(varlong(in), id) : null;
        long streamVersion = format == FORMAT_1 ? in.getLong() : varlong(in);
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

    private static long varlong(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
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

        void varlong(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            write((int) v);
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
