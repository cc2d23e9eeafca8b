package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.Cursor;
import io.annals.core.api.EventOrdering;
import io.annals.core.api.Order;
import io.annals.core.api.Position;
import io.annals.core.api.TimeRange;
import io.annals.core.api.codec.Times;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The clustering slice a read sends to Cassandra holds exactly the rows the read wants: for any row (time, id),
 * time range (bounds anywhere inside a microsecond too), order and cursor, the row lies in {@code [low, high)}
 * compared as Cassandra does (time, then id bytes unsigned) iff it is in the range and strictly after the cursor.
 */
class KeysProperties {

    @Property(tries = 2000)
    void anEngineIdNamesItsLogTimeAndIsAUuidV7(@ForAll("logTimes") long ltime) {
        String id = Keys.engineId(ltime);
        java.util.UUID uuid = java.util.UUID.fromString(id);
        assertThat(uuid.toString()).isEqualTo(id);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(ltime / 1000);
        assertThat(Keys.engineIdTime(id)).isEqualTo(ltime);
        assertThat(Keys.engineId(ltime + 1)).as("ids increase with log times").isGreaterThan(id);
    }

    @Property(tries = 1000)
    void otherIdsNameNoLogTime(@ForAll("ids") String id, @ForAll("logTimes") long ltime) {
        assertThat(Keys.engineIdTime(id)).isEqualTo(-1);
        assertThat(Keys.engineIdTime(java.util.UUID.randomUUID().toString())).as("UUIDv4").isEqualTo(-1);
        String engine = Keys.engineId(ltime);
        String upper = engine.toUpperCase(java.util.Locale.ROOT);
        if (!upper.equals(engine)) assertThat(Keys.engineIdTime(upper)).as("upper case").isEqualTo(-1);
        assertThat(Keys.engineIdTime(engine.substring(0, 35) + "\u0663")).as("a digit outside ASCII").isEqualTo(-1);
        assertThat(Keys.engineIdTime(engine.substring(0, 15) + "3e8" + engine.substring(18))).as("rand_a 1000").isEqualTo(-1);
        assertThat(Keys.engineIdTime(engine.substring(0, 19) + "c" + engine.substring(20))).as("variant").isEqualTo(-1);
        assertThat(Keys.engineIdTime(engine.replace('-', 'x'))).isEqualTo(-1);
    }

    @Provide
    Arbitrary<Long> logTimes() {
        return Arbitraries.longs().between(0, 253402300799_999_999L);
    }

    @Property(tries = 2000)
    void sliceHoldsExactlyTheRowsInRangeAfterTheCursor(@ForAll("micros") long time, @ForAll("ids") String id,
                                                     @ForAll("instants") Instant start, @ForAll("instants") Instant end,
                                                     @ForAll boolean openStart, @ForAll boolean openEnd,
                                                     @ForAll Order order, @ForAll boolean withCursor,
                                                     @ForAll("micros") long cursorTime, @ForAll("ids") String cursorId) {
        Instant s = openStart ? null : start;
        Instant e = openEnd ? null : end;
        if (s != null && e != null && e.isBefore(s)) return;
        TimeRange range = new TimeRange(s, e);
        Cursor cursor = withCursor ? new Cursor(Times.fromMicros(cursorTime), cursorId) : null;
        Keys.Slice slice = Keys.slice(range, order, cursor);

        boolean inSlice = Keys.compare(time, id, slice.lowTime(), slice.lowId()) >= 0
                && Keys.compare(time, id, slice.highTime(), slice.highId()) < 0;
        Instant t = Times.fromMicros(time);
        boolean wanted = range.contains(t);
        if (cursor != null) {
            int c = Long.compare(time, cursorTime) != 0 ? Long.compare(time, cursorTime) : EventOrdering.compareIds(id, cursorId);
            wanted &= order == Order.ASC ? c > 0 : c < 0;
        }
        assertThat(inSlice).as("row (%s, %s) in %s", time, id, slice).isEqualTo(wanted);
        if (!wanted && slice.isEmpty()) assertThat(inSlice).isFalse();
    }

    @Property(tries = 500)
    void positionsRoundTrip(@ForAll("micros") long ltime, @ForAll("ids") String id) {
        long l = Math.abs(ltime);
        Keys.LogKey key = Keys.parse(Keys.position(l, id));
        assertThat(key).isEqualTo(new Keys.LogKey(l, id));
    }

    @Example
    void positionsTheStoreNeverIssuedAreRefused() {
        for (String bad : new String[] {"-1", "start1", "12", ":x", "12:", "-5:x", "x:y", "1e3:x"})
            assertThatThrownBy(() -> Keys.parse(Position.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<Long> micros() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-20, 20),
                Arbitraries.longs().between(-62135596800_000_000L, 253402300799_999_999L));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-20_000, 20_000).map(n -> Instant.ofEpochSecond(0, n)),
                Arbitraries.longs().between(-62135596800L, 253402300799L).map(Instant::ofEpochSecond));
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.oneOf(Arbitraries.of("a", "b", "a\u0000", "\u00e9", "\uD83D\uDE00", "A", "aa"),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(4));
    }
}
