package io.annals.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import io.annals.core.api.codec.Times;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The stored binary form of an event gives back exactly the event, whatever its fields hold. */
class EventCodecProperties {

    @Provide
    Arbitrary<Event> events() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> maybe = text.injectNull(0.3);
        Arbitrary<Long> micros = Arbitraries.longs().between(Times.toMicros(java.time.Instant.parse("0001-01-01T00:00:00Z")),
                Times.toMicros(java.time.Instant.parse("9999-12-31T23:59:59.999999Z")));
        return Builders.withBuilder(EventBuilder::new)
                .use(text).in((b, v) -> { b.id = v; return b; })
                .use(text).in((b, v) -> { b.type = v; return b; })
                .use(Arbitraries.integers().between(1, Integer.MAX_VALUE)).in((b, v) -> { b.version = v; return b; })
                .use(maybe).in((b, v) -> { b.source = v; return b; })
                .use(Arbitraries.of(true, false)).in((b, v) -> { b.aggregate = v ? AggregateId.of("agg\u0000", "id-" + b.id) : null; return b; })
                .use(micros).in((b, v) -> { b.time = v; return b; })
                .use(micros).in((b, v) -> { b.processedAt = v; return b; })
                .use(Arbitraries.maps(text, text.injectNull(0).map(s -> s)).ofMaxSize(4)).in((b, v) -> { b.metadata = v; return b; })
                .use(text.list().ofMaxSize(4)).in((b, v) -> { b.tags = v; return b; })
                .use(Arbitraries.of("null", "{\"a\":[1,2.50,\"\\u0000\"]}", "\"text\"", "1e-24", "{}"))
                .in((b, v) -> { b.payload = v; return b; })
                .use(Arbitraries.longs().between(1, 10_000_000_000L).injectNull(0.5)).in((b, v) -> { b.ttlNanos = v; return b; })
                .use(Arbitraries.longs().between(1, Long.MAX_VALUE)).in((b, v) -> { b.position = v; return b; })
                .use(Arbitraries.longs().between(0, Long.MAX_VALUE)).in((b, v) -> { b.streamVersion = v; return b; })
                .build(EventBuilder::build);
    }

    static final class EventBuilder {
        String id, type, source, payload;
        int version;
        AggregateId aggregate;
        long time, processedAt, position, streamVersion;
        Map<String, String> metadata;
        List<String> tags;
        Long ttlNanos;

        Event build() {
            return new Event(id, type, version, source, aggregate, Times.fromMicros(time), Times.fromMicros(processedAt),
                    metadata, tags, RawJson.trusted(payload), ttlNanos == null ? null : Duration.ofNanos(ttlNanos * 997),
                    Position.of(Long.toString(position)), streamVersion);
        }
    }

    @Property(tries = 500)
    void decodingGivesBackTheEncodedEvent(@ForAll("events") Event e) {
        assertThat(EventCodec.decode(EventCodec.encode(e))).isEqualTo(e);
    }
}
