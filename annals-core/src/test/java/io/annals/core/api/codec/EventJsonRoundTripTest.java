package io.annals.core.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any event written as annals JSON (or as a CloudEvent) reads back as the same event. */
class EventJsonRoundTripTest {

    @Property(tries = 300)
    void storedFormRoundTrips(@ForAll("events") Event e) {
        assertThat(EventJson.fromBytes(EventJson.toBytes(e))).isEqualTo(e);
    }

    @Property(tries = 300)
    void clientFormRoundTrips(@ForAll("events") Event e) {
        NewEvent back = EventJson.readNewEvent(Json.parse(Json.mapper(), EventJson.toBytes(e)));
        Event again = new Event(back.id(), back.type(), back.version(), back.source(), back.aggregate(), back.time(),
                e.processedAt(), back.metadata(), back.tags(), back.payload(), back.ttl(), e.position(), e.streamVersion());
        assertThat(again.sameContentAs(e, true)).isTrue();
    }

    @Property(tries = 200)
    void cloudEventFormKeepsTheContent(@ForAll("events") Event e) {
        String json = CloudEventJson.toJson(e);
        NewEvent back = CloudEventJson.read(Json.parse(Json.mapper(), json.getBytes(StandardCharsets.UTF_8)));
        assertThat(back.id()).isEqualTo(e.id());
        assertThat(back.type()).isEqualTo(e.type());
        assertThat(back.version()).isEqualTo(e.version());
        assertThat(back.aggregate()).isEqualTo(e.aggregate());
        assertThat(back.time()).isEqualTo(e.time());
        assertThat(back.payload()).isEqualTo(e.payload());
        assertThat(back.ttl()).isEqualTo(e.ttl());
        // metadata keys named like a CloudEvents attribute ("id", "type", "ttl", ...) cannot travel as extensions
        Map<String, String> travels = new java.util.LinkedHashMap<>(e.metadata());
        travels.keySet().removeIf(k -> !k.equals("dataschema") && !CloudEventJson.validExtensionName(k));
        assertThat(back.metadata()).isEqualTo(travels);
        if (e.tags().stream().noneMatch(t -> t.contains(",") || !t.equals(t.trim()))) assertThat(back.tags()).isEqualTo(e.tags());
    }

    @Provide
    Arbitrary<Event> events() {
        Arbitrary<String> text = Arbitraries.strings().ofMinLength(1).ofMaxLength(12);
        Arbitrary<AggregateId> aggregate = Combinators.combine(text, text).as(AggregateId::of).injectNull(0.3);
        Arbitrary<Instant> time = Arbitraries.longs().between(-62_135_596_800_000_000L, 253_402_300_799_999_999L)
                .map(Times::fromMicros);
        Arbitrary<Map<String, String>> metadata = Arbitraries.maps(
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).filter(k -> !k.equals("tags")
                        && !k.equals("subject")), text).ofMaxSize(3);
        Arbitrary<List<String>> tags = text.list().ofMaxSize(3);
        Arbitrary<RawJson> payload = Arbitraries.of("null", "1.10", "-0.5", "12345678901234567890.5", "1E+2", "0.0000001",
                "\"caf\u00e9 \\\"q\\\" \\u0000\"", "{\"z\":1,\"a\":[true,false,null,{}]}", "[]", "[[[]]]").map(RawJson::parse);
        Arbitrary<Duration> ttl = Arbitraries.of(Duration.ofDays(30), Duration.ofMinutes(90), Duration.ofMillis(1500),
                Duration.ofDays(1).plusSeconds(1)).injectNull(0.5);
        Arbitrary<Event> head = Combinators.combine(text, text, Arbitraries.integers().between(1, 1000), text.injectNull(0.3),
                aggregate, time, time, metadata).as((id, type, version, source, agg, t, processed, meta) ->
                new Event(id, type, version, source, agg, t, processed, meta, List.of(), RawJson.NULL, null, null, 0));
        return Combinators.combine(head, tags, payload, ttl, Arbitraries.longs().between(1, Long.MAX_VALUE).injectNull(0.2),
                Arbitraries.longs().between(1, 1_000_000)).as((e, tg, p, d, pos, v) -> new Event(e.id(), e.type(), e.version(),
                e.source(), e.aggregate(), e.time(), e.processedAt(), e.metadata(), tg, p, d,
                pos == null ? null : Position.of(Long.toString(pos)), e.aggregate() == null ? 0 : v));
    }
}
