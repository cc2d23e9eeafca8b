package io.annals.core.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventJsonTest {
    /** The canonical event of ARCHITECTURE.md and docs/event-model.md: the contract of the JSON form. */
    static final String DOCUMENTED = """
            {"id": "0193a1f2-7c3e-7b1a-9c4d-2f6e8a0b1c2d",
             "type": "parcel.delivered", "version": 1, "source": "depot-scanner:7",
             "aggregate": {"type": "parcel", "id": "69016fb5"},
             "time": "2016-03-31T10:36:42.171234Z", "processedAt": "2016-03-31T10:36:48.390412Z",
             "metadata": {"anyMetaKey": "someMetaValue", "tags": ["tag1", "tag2"]},
             "payload": {"deliveryAddress": "123 Sudbury Avenue"},
             "ttl": "P30D", "position": "42", "streamVersion": 4}""";

    private static JsonNode tree(String json) {
        return Json.parse(Json.mapper(), json.getBytes(StandardCharsets.UTF_8));
    }

    private static NewEvent read(String json) {
        return EventJson.readNewEvent(tree(json));
    }

    @Test
    void documentedEventReadsIntoTheModel() {
        Event e = EventJson.fromBytes(DOCUMENTED.getBytes(StandardCharsets.UTF_8));
        assertThat(e.id()).isEqualTo("0193a1f2-7c3e-7b1a-9c4d-2f6e8a0b1c2d");
        assertThat(e.type()).isEqualTo("parcel.delivered");
        assertThat(e.version()).isEqualTo(1);
        assertThat(e.source()).isEqualTo("depot-scanner:7");
        assertThat(e.aggregate()).isEqualTo(AggregateId.of("parcel", "69016fb5"));
        assertThat(e.time()).isEqualTo(Instant.parse("2016-03-31T10:36:42.171234Z"));
        assertThat(e.processedAt()).isEqualTo(Instant.parse("2016-03-31T10:36:48.390412Z"));
        assertThat(e.metadata()).isEqualTo(Map.of("anyMetaKey", "someMetaValue"));
        assertThat(e.tags()).containsExactly("tag1", "tag2");
        assertThat(e.payload().json()).isEqualTo("{\"deliveryAddress\":\"123 Sudbury Avenue\"}");
        assertThat(e.ttl()).isEqualTo(Duration.ofDays(30));
        assertThat(e.position()).isEqualTo(Position.of("42"));
        assertThat(e.streamVersion()).isEqualTo(4);
    }

    @Test
    void documentedEventIsWrittenBackExactlyAsDocumented() {
        Event e = EventJson.fromBytes(DOCUMENTED.getBytes(StandardCharsets.UTF_8));
        assertThat(EventJson.toJson(e)).isEqualTo(Json.compact(DOCUMENTED));
    }

    @Test
    void writeThenReadGivesTheSameEvent() {
        Event e = new Event("e-1", "t", 3, "src", AggregateId.of("a", "1"), Instant.parse("1969-12-31T23:59:59.999999Z"),
                Instant.parse("2026-01-01T00:00:00Z"), Map.of("k", "v"), List.of("x", "y"),
                RawJson.parse("{\"n\":1.10,\"big\":12345678901234567890.5}"), Duration.ofMinutes(90), Position.of("7"), 2);
        assertThat(EventJson.fromBytes(EventJson.toBytes(e))).isEqualTo(e);
    }

    @Test
    void minimalEventWritesOnlyWhatItHas() {
        Event e = new Event("e-1", "t", 1, null, null, Instant.parse("2016-03-31T10:36:42Z"),
                Instant.parse("2016-03-31T10:36:42.5Z"), Map.of(), List.of(), RawJson.NULL, null, null, 0);
        assertThat(EventJson.toJson(e)).isEqualTo("{\"id\":\"e-1\",\"type\":\"t\",\"version\":1,"
                + "\"time\":\"2016-03-31T10:36:42.000000Z\",\"processedAt\":\"2016-03-31T10:36:42.500000Z\",\"payload\":null}");
        assertThat(EventJson.fromBytes(EventJson.toBytes(e))).isEqualTo(e);
    }

    @Test
    void ttlIsWrittenInDaysWhenWholeDaysElseAsADuration() {
        assertThat(EventJson.formatTtl(Duration.ofDays(30))).isEqualTo("P30D");
        assertThat(EventJson.formatTtl(Duration.ofHours(36))).isEqualTo("PT36H");
        assertThat(EventJson.formatTtl(Duration.ofMinutes(90))).isEqualTo("PT1H30M");
        assertThat(EventJson.formatTtl(Duration.ofDays(1).plusMillis(1))).isEqualTo("PT24H0.001S");
        for (String text : List.of("P30D", "PT1H", "P1DT2H", "PT0.5S", "P365D")) {
            assertThat(EventJson.parseTtl(EventJson.formatTtl(EventJson.parseTtl(text)))).isEqualTo(EventJson.parseTtl(text));
        }
    }

    @Test
    void clientFormIgnoresTheFieldsTheStoreSets() {
        NewEvent e = read(DOCUMENTED);
        assertThat(e.id()).isEqualTo("0193a1f2-7c3e-7b1a-9c4d-2f6e8a0b1c2d");
        assertThat(e.ttl()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void onlyTypeIsRequired() {
        NewEvent e = read("{\"type\":\"ping\"}");
        assertThat(e.type()).isEqualTo("ping");
        assertThat(e.id()).isNull();
        assertThat(e.time()).isNull();
        assertThat(e.version()).isEqualTo(1);
        assertThat(e.payload()).isEqualTo(RawJson.NULL);
        assertThat(e.aggregate()).isNull();
        assertThat(e.ttl()).isNull();
    }

    @Test
    void timesWithAnyOffsetAreReadAsUtcToTheMicrosecond() {
        assertThat(read("{\"type\":\"t\",\"time\":\"2016-03-31T12:36:42.1712349+02:00\"}").time())
                .isEqualTo(Instant.parse("2016-03-31T10:36:42.171234Z"));
        assertThat(read("{\"type\":\"t\",\"time\":\"2016-03-31T10:36:42Z\"}").time())
                .isEqualTo(Instant.parse("2016-03-31T10:36:42Z"));
        assertThat(read("{\"type\":\"t\",\"time\":\"2016-03-31t10:36:42z\"}").time())
                .as("RFC 3339 allows lower-case t and z").isEqualTo(Instant.parse("2016-03-31T10:36:42Z"));
    }

    @Test
    void payloadNumbersKeepTheirDigitsAndScale() {
        String payload = "{\"a\":1.10,\"b\":12345678901234567890.5,\"c\":0.0000001,\"d\":1E+2,\"e\":100,\"f\":-0.50}";
        assertThat(read("{\"type\":\"t\",\"payload\":" + payload + "}").payload().json()).isEqualTo(payload);
    }

    @Test
    void nullOptionalFieldsAreAbsentFields() {
        NewEvent e = read("{\"type\":\"t\",\"id\":null,\"time\":null,\"source\":null,\"aggregate\":null,\"metadata\":null,\"ttl\":null}");
        assertThat(e.id()).isNull();
        assertThat(e.aggregate()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {}                                                   | type is required
            {"type":null}                                        | type is required
            {"type":""}                                          | type must not be empty
            {"type":7}                                           | type must be a string
            {"type":"t","typo":1}                                | unknown field 'typo'
            {"type":"t","time":"yesterday"}                      | time must be an RFC 3339 time
            {"type":"t","time":"2016-03-31T10:36:42"}            | time must be an RFC 3339 time
            {"type":"t","time":"2016-03-31 10:36:42Z"}           | time must be an RFC 3339 time
            {"type":"t","time":"2016-02-30T10:36:42Z"}           | time must be an RFC 3339 time
            {"type":"t","time":1459420602}                       | time must be a string
            {"type":"t","version":0}                             | version must be a whole number >= 1
            {"type":"t","version":1.5}                           | version must be a whole number >= 1
            {"type":"t","version":"1"}                           | version must be a whole number >= 1
            {"type":"t","version":99999999999}                   | version must be a whole number >= 1
            {"type":"t","aggregate":"parcel/1"}                  | aggregate must be an object
            {"type":"t","aggregate":{"type":"parcel"}}           | aggregate.id is required
            {"type":"t","aggregate":{"id":"1"}}                  | aggregate.type is required
            {"type":"t","aggregate":{"type":"p","id":""}}        | aggregate.id must not be empty
            {"type":"t","metadata":[]}                           | metadata must be an object
            {"type":"t","metadata":{"n":1}}                      | metadata.n must be a string
            {"type":"t","metadata":{"tags":"a,b"}}               | metadata.tags must be an array
            {"type":"t","metadata":{"tags":["a",""]}}            | metadata.tags must hold non-empty strings
            {"type":"t","metadata":{"tags":["a",1]}}             | metadata.tags must hold non-empty strings
            {"type":"t","ttl":"30 days"}                         | ttl must be an ISO-8601 duration
            {"type":"t","ttl":"PT0S"}                            | ttl must be positive
            {"type":"t","ttl":"-PT1H"}                           | ttl must be positive
            {"type":"t","id":5}                                  | id must be a string
            """)
    void strictReadingNamesWhatIsWrong(String json, String message) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(InvalidEventException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"event\"", "42", "null"})
    void anEventMustBeAnObject(String json) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("an event must be a JSON object");
    }

    @Test
    void badJsonIsRefusedSayingWhere() {
        assertThatThrownBy(() -> tree("{\"type\": \"t\",\n \"payload\": {]}")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not valid JSON").hasMessageContaining("line 2");
        assertThatThrownBy(() -> tree("{\"type\":\"t\",\"type\":\"u\"}")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> tree("{\"type\":\"t\"} {\"type\":\"u\"}")).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void nestingDepthIsLimited() {
        String deep = "[".repeat(20) + "]".repeat(20);
        assertThat(Json.parse(Json.mapper(20), deep.getBytes(StandardCharsets.UTF_8)).isArray()).isTrue();
        assertThatThrownBy(() -> Json.parse(Json.mapper(19), deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("nested too deeply");
        String tooDeep = "{\"type\":\"t\",\"payload\":" + "[".repeat(Json.DEFAULT_MAX_DEPTH + 1) + "]".repeat(Json.DEFAULT_MAX_DEPTH + 1) + "}";
        assertThatThrownBy(() -> tree(tooDeep)).isInstanceOf(InvalidEventException.class).hasMessageContaining("nested too deeply");
        assertThatThrownBy(() -> RawJson.parse("[".repeat(Json.DEFAULT_MAX_DEPTH + 1) + "]".repeat(Json.DEFAULT_MAX_DEPTH + 1)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("nested too deeply");
    }

    @Test
    void aNewEventWrittenAsPostedReadsBackEqual() throws Exception {
        NewEvent posted = NewEvent.ofType("parcel.delivered").id("e-7").source("depot:7")
                .aggregate(AggregateId.of("parcel", "69016fb5")).time(Instant.parse("2016-03-31T10:36:42.171234Z"))
                .metadata(Map.of("region", "uk")).tags(List.of("london", "express"))
                .payload(RawJson.parse("{\"n\":1.10}")).ttl(Duration.ofDays(30)).build();
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            EventJson.writeNewEvent(posted, g);
        }
        assertThat(tree(out.toString()).get("ttl").asText()).isEqualTo("P30D");
        assertThat(read(out.toString())).isEqualTo(posted);
    }
}
