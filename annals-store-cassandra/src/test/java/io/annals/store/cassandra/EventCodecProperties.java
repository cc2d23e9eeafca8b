package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import io.annals.core.api.codec.Times;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every event survives the stored binary form unchanged, also when read from inside a larger buffer. */
class EventCodecProperties {

    @Property(tries = 500)
    void eventsRoundTrip(@ForAll("events") Event e) {
        ByteBuffer encoded = EventCodec.encode(e);
        assertThat(EventCodec.decode(encoded)).isEqualTo(e);
        byte[] framed = new byte[encoded.remaining() + 7];
        encoded.duplicate().get(framed, 3, encoded.remaining());
        assertThat(EventCodec.decode(ByteBuffer.wrap(framed, 3, encoded.remaining()).slice())).isEqualTo(e);
    }

    @Example
    void readsTheFirstFormat() {
        // written by the engine before schema version 4: position as text, both times, the stream version as 8 bytes
        byte[] format1 = java.util.HexFormat.of().parseHex("010f0561622d31320574797065310104737263300161016200000000000000"
                + "03000000000000000401016b0176010474616731077b2261223a317d00000000000000050307313a61622d31320000000000000007");
        Event e = EventCodec.decode(ByteBuffer.wrap(format1));
        assertThat(e).isEqualTo(new Event("ab-12", "type1", 1, "src0", AggregateId.of("a", "b"), Times.fromMicros(3),
                Times.fromMicros(4), Map.of("k", "v"), List.of("tag1"), RawJson.trusted("{\"a\":1}"), Duration.ofSeconds(5, 3),
                Position.of("1:ab-12"), 7));
    }

    @Provide
    Arbitrary<Event> events() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMinLength(1).ofMaxLength(300),
                Arbitraries.of("\u00e9", "\uD83D\uDE00", "a\u0000b", "x".repeat(200)));
        Arbitrary<Long> micros = Arbitraries.longs().between(-62135596800_000_000L, 253402300799_999_999L);
        Arbitrary<AggregateId> aggregate = Arbitraries.strings().ofMinLength(1).ofMaxLength(20)
                .map(s -> AggregateId.of("t" + s, s)).injectNull(0.3);
        Arbitrary<Duration> ttl = Arbitraries.longs().between(1, 10_000_000_000L).map(Duration::ofNanos)
                .map(d -> d.plusSeconds(1)).injectNull(0.5);
        Arbitrary<Map<String, String>> metadata = Arbitraries.maps(text, text).ofMaxSize(4);
        Arbitrary<List<String>> tags = text.list().ofMaxSize(4);
        Arbitrary<String> payload = Arbitraries.of("null", "{\"a\":1.10}", "[1,2,3]", "\"" + "p".repeat(70_000) + "\"", "{}");
        return net.jqwik.api.Combinators.combine(text, text, aggregate, micros, micros, metadata, tags, payload)
                .as((id, type, agg, time, processed, meta, tg, json) -> new Object[] {id, type, agg, time, processed, meta, tg, json})
                .flatMap(a -> net.jqwik.api.Combinators.combine(ttl, text.injectNull(0.3), Arbitraries.longs().between(0, 1L << 40),
                        Arbitraries.integers().between(1, 1000), Arbitraries.of(0, 1, 2, 3, 4))
                        .as((t, source, version, schema, positioned) -> new Event((String) a[0], (String) a[1], schema, source,
                                (AggregateId) a[2], Times.fromMicros((Long) a[positioned == 4 ? 4 : 3]), Times.fromMicros((Long) a[4]),
                                castMap(a[5]), castList(a[6]), RawJson.trusted((String) a[7]), t,
                                switch (positioned) {
                                    case 0 -> null;
                                    case 1 -> Position.of("01732492800000000:" + a[0]); // not the engine's form: kept as text
                                    case 2 -> Position.of("0:" + a[0]);
                                    default -> Position.of("1732492800000000:" + a[0]);
                                }, version)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> castMap(Object o) {
        return (Map<String, String>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }
}
