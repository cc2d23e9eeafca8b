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

class CloudEventJsonTest {
    private static JsonNode tree(String json) {
        return Json.parse(Json.mapper(), json.getBytes(StandardCharsets.UTF_8));
    }

    private static NewEvent read(String json) {
        return CloudEventJson.read(tree(json));
    }

    @Test
    void structuredEventMapsOntoTheModel() {
        NewEvent e = read("""
                {"specversion":"1.0","id":"ce-1","source":"depot-scanner:7","type":"parcel.delivered",
                 "time":"2016-03-31T12:36:42.171234+02:00","subject":"69016fb5","aggregatetype":"parcel",
                 "datacontenttype":"application/json","dataschema":"https://example.com/parcel.json",
                 "dataversion":"2","tags":"london, urgent","region":"eu","priority":3,
                 "data":{"deliveryAddress":"123 Sudbury Avenue","weight":1.10}}""");
        assertThat(e.id()).isEqualTo("ce-1");
        assertThat(e.source()).isEqualTo("depot-scanner:7");
        assertThat(e.type()).isEqualTo("parcel.delivered");
        assertThat(e.time()).isEqualTo(Instant.parse("2016-03-31T10:36:42.171234Z"));
        assertThat(e.aggregate()).isEqualTo(AggregateId.of("parcel", "69016fb5"));
        assertThat(e.version()).isEqualTo(2);
        assertThat(e.tags()).containsExactly("london", "urgent");
        assertThat(e.metadata()).isEqualTo(Map.of("dataschema", "https://example.com/parcel.json", "region", "eu", "priority", "3"));
        assertThat(e.payload().json()).isEqualTo("{\"deliveryAddress\":\"123 Sudbury Avenue\",\"weight\":1.10}");
    }

    @Test
    void aggregateIdExtensionNamesTheAggregateAndTagsMayBeAnArray() {
        NewEvent e = read("""
                {"specversion":"1.0","id":"ce-1","source":"s","type":"t","aggregatetype":"parcel","aggregateid":"p-1",
                 "tags":["a","b"],"ttl":"P30D"}""");
        assertThat(e.aggregate()).isEqualTo(AggregateId.of("parcel", "p-1"));
        assertThat(e.tags()).containsExactly("a", "b");
        assertThat(e.ttl()).isEqualTo(Duration.ofDays(30));
        assertThat(e.time()).as("no time: the store uses the receipt time").isNull();
        assertThat(e.payload()).isEqualTo(RawJson.NULL);
    }

    @Test
    void subjectThatNamesNoAggregateIsKept() {
        NewEvent alone = read("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\",\"subject\":\"invoice-7.pdf\"}");
        assertThat(alone.aggregate()).isNull();
        assertThat(alone.metadata()).containsEntry("subject", "invoice-7.pdf");

        NewEvent beside = read("""
                {"specversion":"1.0","id":"1","source":"s","type":"t","subject":"line-3",
                 "aggregatetype":"order","aggregateid":"o-1"}""");
        assertThat(beside.aggregate()).isEqualTo(AggregateId.of("order", "o-1"));
        assertThat(beside.metadata()).containsEntry("subject", "line-3");
    }

    @Test
    void writtenCloudEventReadsBackAsTheSameContent() {
        Event stored = new Event("e-1", "parcel.delivered", 3, "scanner", AggregateId.of("parcel", "p-1"),
                Instant.parse("2016-03-31T10:36:42.171234Z"), Instant.parse("2016-03-31T10:36:48Z"),
                Map.of("region", "eu", "dataschema", "urn:x"), List.of("london", "urgent"),
                RawJson.parse("{\"n\":1.10}"), Duration.ofDays(30), Position.of("9"), 4);

        String json = CloudEventJson.toJson(stored);
        NewEvent back = read(json);

        JsonNode written = tree(json);
        assertThat(written.get("specversion").asText()).isEqualTo("1.0");
        assertThat(written.get("subject").asText()).isEqualTo("p-1");
        assertThat(written.get("aggregatetype").asText()).isEqualTo("parcel");
        assertThat(written.get("time").asText()).isEqualTo("2016-03-31T10:36:42.171234Z");
        assertThat(written.get("ttl").asText()).isEqualTo("P30D");
        assertThat(written.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(back.id()).isEqualTo(stored.id());
        assertThat(back.type()).isEqualTo(stored.type());
        assertThat(back.version()).isEqualTo(3);
        assertThat(back.source()).isEqualTo("scanner");
        assertThat(back.aggregate()).isEqualTo(stored.aggregate());
        assertThat(back.time()).isEqualTo(stored.time());
        assertThat(back.metadata()).isEqualTo(stored.metadata());
        assertThat(back.tags()).isEqualTo(stored.tags());
        assertThat(back.payload()).isEqualTo(stored.payload());
        assertThat(back.ttl()).isEqualTo(stored.ttl());
    }

    @Test
    void subjectOfAnEventWithoutAggregateSurvivesARoundTrip() {
        Event stored = new Event("e-1", "t", 1, "s", null, Instant.parse("2016-03-31T10:36:42Z"), Instant.parse("2016-03-31T10:36:42Z"),
                Map.of("subject", "invoice-7.pdf"), List.of(), RawJson.NULL, null, null, 0);
        String json = CloudEventJson.toJson(stored);
        assertThat(tree(json).get("subject").asText()).isEqualTo("invoice-7.pdf");
        assertThat(read(json).metadata()).isEqualTo(Map.of("subject", "invoice-7.pdf"));
    }

    @Test
    void metadataKeysThatCannotBeExtensionsAreLeftOut() {
        Event stored = new Event("e-1", "t", 1, null, null, Instant.parse("2016-03-31T10:36:42Z"), Instant.parse("2016-03-31T10:36:42Z"),
                Map.of("Upper", "x", "with-dash", "y", "ok1", "z"), List.of(), RawJson.NULL, null, null, 0);
        NewEvent back = read(CloudEventJson.toJson(stored));
        assertThat(back.metadata()).isEqualTo(Map.of("ok1", "z"));
        assertThat(back.source()).as("written as the no-source marker, read back as no source").isNull();
        assertThat(tree(CloudEventJson.toJson(stored)).get("source").asText()).isEqualTo(CloudEventJson.NO_SOURCE);
    }

    @Test
    void batchIsAnArrayOfCloudEventsAndASingleEventIsABatchOfOne() {
        List<NewEvent> batch = CloudEventJson.readBatch(tree("""
                [{"specversion":"1.0","id":"1","source":"s","type":"a"},
                 {"specversion":"1.0","id":"2","source":"s","type":"b","data":[1,2]}]"""));
        assertThat(batch).extracting(NewEvent::id).containsExactly("1", "2");
        assertThat(batch.get(1).payload().json()).isEqualTo("[1,2]");
        assertThat(CloudEventJson.readBatch(tree("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"a\"}")))
                .extracting(NewEvent::id).containsExactly("1");
        assertThat(AppendBody.read(tree("[{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"a\"}]"), true)
                .events()).extracting(NewEvent::type).containsExactly("a");
    }

    @Test
    void jsonContentTypesWithParametersAreAccepted() {
        NewEvent e = read("""
                {"specversion":"1.0","id":"1","source":"s","type":"t","datacontenttype":"application/json; charset=utf-8","data":"x"}""");
        assertThat(e.payload().json()).isEqualTo("\"x\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"id":"1","source":"s","type":"t"}                                                  | specversion is required
            {"specversion":"0.3","id":"1","source":"s","type":"t"}                              | specversion must be "1.0"
            {"specversion":"1.0","source":"s","type":"t"}                                       | id is required
            {"specversion":"1.0","id":"1","type":"t"}                                           | source is required
            {"specversion":"1.0","id":"1","source":"s"}                                         | type is required
            {"specversion":"1.0","id":"1","source":"s","type":"t","time":"noon"}                | time must be an RFC 3339 time
            {"specversion":"1.0","id":"1","source":"s","type":"t","data_base64":"AAE="}         | data_base64 is not supported
            {"specversion":"1.0","id":"1","source":"s","type":"t","datacontenttype":"text/plain","data":"x"} | datacontenttype must be JSON
            {"specversion":"1.0","id":"1","source":"s","type":"t","ext":{"a":1}}                | extension 'ext' must be a simple value
            {"specversion":"1.0","id":"1","source":"s","type":"t","aggregatetype":"parcel"}     | aggregatetype is set but
            {"specversion":"1.0","id":"1","source":"s","type":"t","aggregateid":"p-1"}          | aggregateid is set but aggregatetype is not
            {"specversion":"1.0","id":"1","source":"s","type":"t","dataversion":"two"}          | dataversion must be a whole number
            {"specversion":"1.0","id":"1","source":"s","type":"t","ttl":"forever"}              | ttl must be an ISO-8601 duration
            {"specversion":"1.0","id":"1","source":"s","type":"t","tags":[1]}                   | tags must hold non-empty strings
            """)
    void invalidCloudEventsAreRefusedSayingWhy(String json, String message) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(InvalidEventException.class).hasMessageContaining(message);
    }

    @Test
    void aCloudEventMustBeAnObject() {
        assertThatThrownBy(() -> read("[1]")).isInstanceOf(InvalidEventException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> CloudEventJson.readBatch(tree("[\"x\"]"))).isInstanceOf(InvalidEventException.class);
    }
}
