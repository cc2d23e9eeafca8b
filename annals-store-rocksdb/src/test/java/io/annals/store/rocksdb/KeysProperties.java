package io.annals.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.EventOrdering;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The key encodings sort in the logical order, never let one key's prefix read another's rows, and round trip. */
class KeysProperties {

    /** Short strings rich in the bytes that matter to the escaping (0x00, 0x01, 0xFF in UTF-8) and in shared prefixes. */
    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> tricky = Arbitraries.strings().withChars("\u0000\u0001ab\u00ff\u0100").ofMaxLength(6);
        Arbitrary<String> wide = Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(12);
        return Arbitraries.oneOf(tricky, tricky, wide);
    }

    @Provide
    Arbitrary<Long> micros() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-3, 3),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L));
    }

    @Property
    void orderedLongsSortAsSignedNumbersAndRoundTrip(@ForAll("micros") long a, @ForAll("micros") long b) {
        assertThat(Integer.signum(Keys.compare(Keys.ordered(a), Keys.ordered(b)))).isEqualTo(Long.signum(Long.compare(a, b)));
        assertThat(Keys.getOrdered(Keys.ordered(a), 0)).isEqualTo(a);
        assertThat(Keys.getLong(Keys.plain(a), 0)).isEqualTo(a);
    }

    @Property
    void escapedStringsKeepTheOrderOfTheirUtf8Bytes(@ForAll("names") String a, @ForAll("names") String b) {
        int logical = Arrays.compareUnsigned(utf8(a), utf8(b));
        assertThat(Integer.signum(Keys.compare(Keys.escaped(a), Keys.escaped(b)))).isEqualTo(Integer.signum(logical));
    }

    @Property
    void noEscapedStringIsAPrefixOfAnother(@ForAll("names") String a, @ForAll("names") String b) {
        Assume.that(!a.equals(b));
        byte[] ea = Keys.escaped(a);
        byte[] eb = Keys.escaped(b);
        boolean prefix = ea.length <= eb.length && Arrays.equals(ea, 0, ea.length, eb, 0, ea.length);
        assertThat(prefix).isFalse();
    }

    @Property
    void escapedStringsRoundTripInsideLongerKeys(@ForAll("names") String a, @ForAll("names") String b) {
        byte[] key = Keys.concat(Keys.escaped(a), Keys.escaped(b), Keys.ordered(7));
        Keys.Decoded first = Keys.unescape(key, 0);
        Keys.Decoded second = Keys.unescape(key, first.next());
        assertThat(first.value()).isEqualTo(a);
        assertThat(second.value()).isEqualTo(b);
        assertThat(Keys.getOrdered(key, second.next())).isEqualTo(7);
    }

    /** Within one index key, rows sort by event time then id, whatever buckets they fall in. */
    @Property
    void indexRowsOfOneKeySortByTimeThenId(@ForAll("names") String key, @ForAll("micros") long t1, @ForAll("names") String id1,
                                           @ForAll("micros") long t2, @ForAll("names") String id2) {
        long bucketMicros = 3_600_000_000L;
        byte[] prefix = Keys.indexPrefix(Keys.BY_TAG, key);
        byte[] k1 = Keys.bucketed(prefix, Math.floorDiv(t1, bucketMicros), t1, id1);
        byte[] k2 = Keys.bucketed(prefix, Math.floorDiv(t2, bucketMicros), t2, id2);
        int logical = t1 != t2 ? Long.compare(t1, t2) : EventOrdering.compareIds(id1, id2);
        assertThat(Integer.signum(Keys.compare(k1, k2))).isEqualTo(Integer.signum(logical));
        assertThat(Keys.idAt(k1, prefix.length + 16)).isEqualTo(id1);
    }

    /** Rows of different index keys never interleave: every row of one sorts on the same side of every row of the other. */
    @Property
    void rowsOfDifferentKeysNeverInterleave(@ForAll("names") String a, @ForAll("names") String b,
                                            @ForAll("micros") long t1, @ForAll("names") String id1,
                                            @ForAll("micros") long t2, @ForAll("names") String id2) {
        Assume.that(!a.equals(b));
        byte[] pa = Keys.indexPrefix(Keys.BY_TYPE, a);
        byte[] pb = Keys.indexPrefix(Keys.BY_TYPE, b);
        int side = Integer.signum(Keys.compare(pa, pb));
        assertThat(Integer.signum(Keys.compare(Keys.bucketed(pa, 0, t1, id1), Keys.bucketed(pb, 0, t2, id2)))).isEqualTo(side);
        byte[] end = Keys.prefixEnd(pa);
        assertThat(Keys.compare(Keys.bucketed(pa, Long.MAX_VALUE, t1, id1), end)).isNegative();
        assertThat(Keys.compare(Keys.bucketed(pb, 0, t2, id2), pa) < 0 || Keys.compare(Keys.bucketed(pb, 0, t2, id2), end) >= 0)
                .isTrue();
    }

    @Property
    void historiesOfDifferentAggregatesNeverInterleave(@ForAll("names") String type1, @ForAll("names") String id1,
                                                       @ForAll("names") String type2, @ForAll("names") String id2,
                                                       @ForAll("micros") long t, @ForAll("names") String eventId) {
        Assume.that(!type1.isEmpty() && !id1.isEmpty() && !type2.isEmpty() && !id2.isEmpty());
        AggregateId a = AggregateId.of(type1, id1);
        AggregateId b = AggregateId.of(type2, id2);
        Assume.that(!a.equals(b));
        byte[] row = Keys.timed(Keys.stream(b), t, eventId);
        byte[] prefix = Keys.stream(a);
        boolean inside = Keys.compare(row, prefix) >= 0 && Keys.compare(row, Keys.prefixEnd(prefix)) < 0;
        assertThat(inside).isFalse();
        assertThat(Keys.idAt(row, Keys.stream(b).length + 8)).isEqualTo(eventId);
    }

    @Property
    void theSuccessorIsTheNextKey(@ForAll("names") String key, @ForAll("names") String other) {
        byte[] k = utf8(key);
        byte[] o = utf8(other);
        byte[] next = Keys.successor(k);
        assertThat(Keys.compare(next, k)).isPositive();
        // nothing lies strictly between a key and its successor
        assertThat(Keys.compare(o, k) > 0 && Keys.compare(o, next) < 0).isFalse();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
