package io.annals.store.rocksdb;

import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import io.annals.core.api.codec.Times;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of an event in the {@code events} column family: a compact binary record (a format byte, then
 * each field in a fixed order: strings as a varint length and UTF-8 bytes, times as microseconds, the payload as
 * its compact JSON text). Reading it back parses no JSON at all, which keeps pages cheap. The format byte lets a
 * later layout be read next to this one.
 */
final class EventCodec {
    private static final byte FORMAT_1 = 1;
    private static final int HAS_SOURCE = 1;
    private static final int HAS_AGGREGATE = 2;
    private static final int HAS_TTL = 4;

    private EventCodec() {}

    static byte[] encode(Event e) {
        Writer w = new Writer(256 + e.payload().json().length());
        w.out[w.at++] = FORMAT_1;
        int flags = (e.source() != null ? HAS_SOURCE : 0) | (e.aggregate() != null ? HAS_AGGREGATE : 0)
                | (e.ttl() != null ? HAS_TTL : 0);
        w.varint(flags);
        w.string(e.id());
        w.string(e.type());
        w.varint(e.version());
        if (e.source() != null) w.string(e.source());
        if (e.aggregate() != null) {
            w.string(e.aggregate().type());
            w.string(e.aggregate().id());
        }
        w.fixed(Times.toMicros(e.time()));
        w.fixed(Times.toMicros(e.processedAt()));
        w.varint(e.metadata().size());
        for (Map.Entry<String, String> m : e.metadata().entrySet()) {
            w.string(m.getKey());
            w.string(m.getValue());
        }
        w.varint(e.tags().size());
        for (String tag : e.tags()) w.string(tag);
        w.string(e.payload().json());
        if (e.ttl() != null) {
            w.fixed(e.ttl().getSeconds());
            w.varint(e.ttl().getNano());
        }
        w.fixed(Rows.position(e));
        w.fixed(e.streamVersion());
        return Arrays.copyOf(w.out, w.at);
    }

    static Event decode(byte[] in) {
        Reader r = new Reader(in);
        byte format = in[r.at++];
        if (format != FORMAT_1) throw new IllegalStateException("unknown stored event format " + format);
        int flags = (int) r.varint();
        String id = r.string();
        String type = r.string();
        int version = (int) r.varint();
        String source = (flags & HAS_SOURCE) != 0 ? r.string() : null;
        AggregateId aggregate = (flags & HAS_AGGREGATE) != 0 ? new AggregateId(r.string(), r.string()) : null;
        long time = r.fixed();
        long processedAt = r.fixed();
        int metadataSize = (int) r.varint();
        Map<String, String> metadata = metadataSize == 0 ? Map.of() : new LinkedHashMap<>();
        for (int i = 0; i < metadataSize; i++) metadata.put(r.string(), r.string());
        int tagCount = (int) r.varint();
        List<String> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) tags.add(r.string());
        RawJson payload = RawJson.trusted(r.string());
        Duration ttl = (flags & HAS_TTL) != 0 ? Duration.ofSeconds(r.fixed(), r.varint()) : null;
        long position = r.fixed();
        long streamVersion = r.fixed();
        return new Event(id, type, version, source, aggregate, Times.fromMicros(time), Times.fromMicros(processedAt),
                metadataSize == 0 ? metadata : Collections.unmodifiableMap(metadata),
                Collections.unmodifiableList(tags), payload, ttl, Position.of(Long.toString(position)), streamVersion);
    }

    private static final class Writer {
        byte[] out;
        int at;

        Writer(int capacity) {
            out = new byte[capacity];
        }

        void ensure(int n) {
            if (at + n > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, at + n));
        }

        void varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                out[at++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out[at++] = (byte) v;
        }

        void fixed(long v) {
            ensure(8);
            Keys.putLong(out, at, v);
            at += 8;
        }

        void string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length);
            ensure(bytes.length);
            System.arraycopy(bytes, 0, out, at, bytes.length);
            at += bytes.length;
        }
    }

    private static final class Reader {
        final byte[] in;
        int at;

        Reader(byte[] in) {
            this.in = in;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = in[at++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) return v;
            }
        }

        long fixed() {
            long v = Keys.getLong(in, at);
            at += 8;
            return v;
        }

        String string() {
            int n = (int) varint();
            String s = new String(in, at, n, StandardCharsets.UTF_8);
            at += n;
            return s;
        }
    }
}
