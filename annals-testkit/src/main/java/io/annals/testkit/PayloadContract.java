package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Event;
import io.annals.core.api.Query;
import io.annals.core.api.RawJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What goes in comes out: payload JSON exactly (digits, scale, key order), any Unicode, large events. */
abstract class PayloadContract extends ContractSupport {

    private Event roundTrip(String payload) {
        String id = "p" + Integer.toHexString(payload.hashCode()) + "-" + payload.length();
        store().append(event("payload").id(id).payload(RawJson.parse(payload)).build());
        return stored(id);
    }

    @Test
    void numbersKeepEveryDigitAndTheirScale() {
        String json = "{\"price\":1.10,\"big\":12345678901234567890.5,\"huge\":123456789012345678901234567890,"
                + "\"tiny\":0.000000000000000000000001,\"exp\":1E+2,\"neg\":-42,\"zero\":0.0,\"int\":7}";
        assertThat(roundTrip(json).payload().json()).isEqualTo(json);
    }

    @Test
    void objectsKeepTheirKeyOrderAndNesting() {
        String json = "{\"z\":1,\"a\":{\"y\":[3,2,1],\"b\":null},\"m\":[{\"k\":true},{\"k\":false}],\"e\":{},\"l\":[]}";
        assertThat(roundTrip(json).payload().json()).isEqualTo(json);
    }

    @Test
    void anyJsonValueIsAPayload() {
        for (String json : List.of("\"text\"", "42", "-1.50", "true", "false", "null", "[]", "[1,\"two\",3.0]", "{}")) {
            assertThat(roundTrip(json).payload().json()).as(json).isEqualTo(json);
        }
    }

    @Test
    void whitespaceIsCompactedButNothingElse() {
        Event e = roundTrip(" {\n  \"a\" : [ 1 , 2 ] ,\t\"b\" : \"x  y\" }\n");
        assertThat(e.payload().json()).isEqualTo("{\"a\":[1,2],\"b\":\"x  y\"}");
    }

    @Test
    void unicodeSurvivesEverywhere() {
        String text = "Z\u00fcrich \u6771\u4eac \u0645\u0631\u062d\u0628\u0627 \uD83D\uDE9A\uD83D\uDCE6 e\u0301 \u0000\u001f \\ \" \u2028";
        String json = "{\"note\":\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\u0000")
                .replace("\u001f", "\\u001F").replace("\u2028", "\\u2028") + "\"}";
        String type = "parcel.\u00fcbergeben.\uD83D\uDCE6";
        store().append(event(type).id("\u4eba-\uD83D\uDE00-id").source("\u00e9metteur").aggregate("\u5305\u88f9", "\uD83D\uDCE6-1")
                .meta("cl\u00e9", "v\u00e2leur \uD83D\uDE00").tag("\u0442\u0435\u0433").payload(json).build());

        Event e = stored("\u4eba-\uD83D\uDE00-id");
        assertThat(e.type()).isEqualTo(type);
        assertThat(e.source()).isEqualTo("\u00e9metteur");
        assertThat(e.aggregate()).isEqualTo(AggregateId.of("\u5305\u88f9", "\uD83D\uDCE6-1"));
        assertThat(e.metadata()).isEqualTo(Map.of("cl\u00e9", "v\u00e2leur \uD83D\uDE00"));
        assertThat(e.tags()).containsExactly("\u0442\u0435\u0433");
        assertThat(e.payload()).isEqualTo(RawJson.parse(json));
        assertThat(readNote(e)).isEqualTo(text);
        assertThat(store().query(Query.ofType(type)).events()).containsExactly(e);
        assertThat(store().query(Query.ofTag("\u0442\u0435\u0433")).events()).containsExactly(e);
        assertThat(historyAll(AggregateQuery.of(AggregateId.of("\u5305\u88f9", "\uD83D\uDCE6-1")))).containsExactly(e);
    }

    private static String readNote(Event e) {
        try {
            return io.annals.core.api.codec.Json.mapper().readTree(e.payload().json()).get("note").asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
            throw new AssertionError(x);
        }
    }

    @Test
    void largePayloadsAreKeptWhole() {
        StringBuilder sb = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 20_000; i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"n\":").append(i).append(",\"s\":\"item-").append(i).append("-\u00e9\u4eac\"}");
        }
        String json = sb.append("]}").toString();
        assertThat(json.length()).isGreaterThan(500_000);
        Event e = roundTrip(json);
        assertThat(e.payload().json()).isEqualTo(json);
        assertThat(store().query(Query.ofType("payload")).events()).singleElement()
                .satisfies(q -> assertThat(q.payload().json()).isEqualTo(json));
        assertThat(logAll()).singleElement().satisfies(l -> assertThat(l.payload().json()).isEqualTo(json));
    }

    @Test
    void manyMetadataEntriesAndTagsAreKept() {
        var b = event("meta").id("m");
        for (int i = 0; i < 50; i++) b.meta("key" + i, "value " + i).tag("tag" + i);
        store().append(b.build());
        Event e = stored("m");
        assertThat(e.metadata()).hasSize(50).containsEntry("key49", "value 49");
        assertThat(e.tags()).hasSize(50).startsWith("tag0", "tag1").endsWith("tag49");
        for (int i = 0; i < 50; i += 7) assertThat(ids(queryAll(Query.ofTag("tag" + i)))).containsExactly("m");
    }
}
