package io.annals.store.rocksdb;

import io.annals.core.api.AggregateId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key encodings. Every key sorts, byte by byte (RocksDB's default comparator, unsigned), in the logical order:
 * <ul>
 *   <li>numbers are 8 bytes big-endian with the sign bit flipped, so negative times sort before positive ones;</li>
 *   <li>strings that are followed by more key parts are escaped UTF-8: {@code 0x00} becomes {@code 0x00 0xFF} and the
 *       string ends with {@code 0x00 0x01}. That keeps the order of the strings and makes no encoded string a prefix
 *       of another (tag {@code a} never reads the keys of tag {@code ab});</li>
 *   <li>the event id, always last, is its raw UTF-8 bytes, which sort exactly as {@code EventOrdering} orders ids.</li>
 * </ul>
 */
final class Keys {
    /** Index kinds, the first byte of an index key. */
    static final byte BY_TYPE = 1;
    static final byte BY_TAG = 2;
    static final byte BY_TIME = 3;

    private static final byte ESCAPE = 0x00;
    private static final byte ESCAPED_ZERO = (byte) 0xFF;
    private static final byte TERMINATOR = 0x01;

    private Keys() {}

    // ---- numbers

    /** 8 bytes that sort (unsigned) as the signed value does. */
    static byte[] ordered(long value) {
        byte[] out = new byte[8];
        putOrdered(out, 0, value);
        return out;
    }

    static void putOrdered(byte[] out, int at, long value) {
        putLong(out, at, value ^ Long.MIN_VALUE);
    }

    static long getOrdered(byte[] in, int at) {
        return getLong(in, at) ^ Long.MIN_VALUE;
    }

    static byte[] plain(long value) {
        byte[] out = new byte[8];
        putLong(out, 0, value);
        return out;
    }

    static void putLong(byte[] out, int at, long value) {
        for (int i = 7; i >= 0; i--) {
            out[at + i] = (byte) value;
            value >>>= 8;
        }
    }

    static long getLong(byte[] in, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (in[at + i] & 0xFF);
        return v;
    }

    // ---- strings

    /** The escaped, terminated form of {@code s}: order preserving and prefix free. */
    static byte[] escaped(String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 2);
        for (byte b : raw) {
            out.write(b);
            if (b == ESCAPE) out.write(ESCAPED_ZERO);
        }
        out.write(ESCAPE);
        out.write(TERMINATOR);
        return out.toByteArray();
    }

    /** Reads an escaped string starting at {@code at}; returns it and where the next part starts. */
    static Decoded unescape(byte[] in, int at) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = at;
        while (true) {
            byte b = in[i++];
            if (b != ESCAPE) {
                out.write(b);
                continue;
            }
            byte next = in[i++];
            if (next == TERMINATOR) break;
            if (next != ESCAPED_ZERO) throw new IllegalStateException("corrupt key: bad escape at " + (i - 1));
            out.write(ESCAPE);
        }
        return new Decoded(out.toString(StandardCharsets.UTF_8), i);
    }

    record Decoded(String value, int next) {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- composite keys

    /** The key of an aggregate's stream head, and the prefix of its history. */
    static byte[] stream(AggregateId a) {
        return concat(escaped(a.type()), escaped(a.id()));
    }

    /** The prefix of an index: its kind and its key (type or tag; empty for the index of all events). */
    static byte[] indexPrefix(byte kind, String key) {
        return concat(new byte[] {kind}, escaped(key));
    }

    /** {@code prefix | time micros | id}: a history row. */
    static byte[] timed(byte[] prefix, long micros, String id) {
        byte[] idBytes = utf8(id);
        byte[] out = Arrays.copyOf(prefix, prefix.length + 8 + idBytes.length);
        putOrdered(out, prefix.length, micros);
        System.arraycopy(idBytes, 0, out, prefix.length + 8, idBytes.length);
        return out;
    }

    /** {@code prefix | bucket | time micros | id}: an index row. */
    static byte[] bucketed(byte[] prefix, long bucket, long micros, String id) {
        return timed(concat(prefix, ordered(bucket)), micros, id);
    }

    /** The smallest key of {@code prefix} at or after {@code micros} (its bucket first). */
    static byte[] bucketedBound(byte[] prefix, long bucket, long micros) {
        return concat(prefix, ordered(bucket), ordered(micros));
    }

    /** The id at the end of a key whose fixed part is {@code fixedLength} bytes long. */
    static String idAt(byte[] key, int fixedLength) {
        return new String(key, fixedLength, key.length - fixedLength, StandardCharsets.UTF_8);
    }

    /** The expiry row: {@code expiresAt micros | id}. */
    static byte[] expiry(long expiresAtMicros, String id) {
        return timed(new byte[0], expiresAtMicros, id);
    }

    /** The smallest key strictly greater than {@code key}: the key followed by a zero byte. */
    static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** The smallest key greater than every key that starts with {@code prefix}, or null if there is none. */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] out = prefix.clone();
        for (int i = out.length - 1; i >= 0; i--) {
            if (out[i] != (byte) 0xFF) {
                out[i]++;
                return Arrays.copyOf(out, i + 1);
            }
        }
        return null;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    static byte[] max(byte[] a, byte[] b) {
        return compare(a, b) >= 0 ? a : b;
    }

    static byte[] min(byte[] a, byte[] b) {
        return compare(a, b) <= 0 ? a : b;
    }
}
