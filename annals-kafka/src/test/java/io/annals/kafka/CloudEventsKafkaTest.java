package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import io.annals.core.api.codec.Times;
import io.annals.kafka.internal.CloudEventsKafka;
import io.annals.kafka.internal.TopicRouter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The CloudEvents Kafka binding without a broker: what the relay writes, and that the ingest reads it back. */
class CloudEventsKafkaTest {

    static Event event(String id, AggregateId aggregate, String payload) {
        return new Event(id, "parcel.delivered", 2, "depot-scanner:7", aggregate,
                Instant.parse("2016-03-31T10:36:42.171234Z"), Instant.parse("2016-03-31T10:36:48.390412Z"),
                Map.of("region", "emea", "Not-An-Extension", "x"), List.of("london", "express"), RawJson.parse(payload),
                Duration.ofDays(30), Position.of("7"), 4);
    }

    static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> r) {
        return new ConsumerRecord<>(r.topic(), 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0, r.key(), r.value(),
                new RecordHeaders(r.headers().toArray()), Optional.empty());
    }

    static Map<String, String> headers(ProducerRecord<byte[], byte[]> r) {
        Map<String, String> h = new LinkedHashMap<>();
        for (Header x : r.headers()) h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8));
        return h;
    }

    @Test
    void anEventBecomesABinaryModeRecordKeyedByItsAggregate() {
        Event e = event("e-1", AggregateId.of("parcel", "69016fb5"), "{\"deliveryAddress\":\"123 Sudbury Avenue\",\"n\":1.50}");
        ProducerRecord<byte[], byte[]> r = CloudEventsKafka.record("events.parcel.delivered", e);

        assertThat(r.topic()).isEqualTo("events.parcel.delivered");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("parcel/69016fb5");
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"deliveryAddress\":\"123 Sudbury Avenue\",\"n\":1.50}");
        assertThat(headers(r)).containsEntry("ce_specversion", "1.0").containsEntry("ce_id", "e-1")
                .containsEntry("ce_source", "depot-scanner:7").containsEntry("ce_type", "parcel.delivered")
                .containsEntry("ce_time", "2016-03-31T10:36:42.171234Z").containsEntry("ce_subject", "69016fb5")
                .containsEntry("ce_aggregatetype", "parcel").containsEntry("ce_aggregateid", "69016fb5")
                .containsEntry("ce_tags", "london,express").containsEntry("ce_dataversion", "2")
                .containsEntry("ce_ttl", "P30D").containsEntry("ce_region", "emea")
                .containsEntry("content-type", "application/json")
                .doesNotContainKey("ce_Not-An-Extension");
    }

    @Test
    void anEventWithoutAggregateIsKeyedByItsId() {
        ProducerRecord<byte[], byte[]> r = CloudEventsKafka.record("t", event("e-2", null, "null"));
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("e-2");
        assertThat(headers(r)).doesNotContainKeys("ce_aggregatetype", "ce_aggregateid", "ce_subject");
    }

    @Test
    void oneTagIsTheTagsHeaderAsItIs() {
        Instant t = Instant.parse("2016-03-31T10:36:42.171234Z");
        Event e = new Event("e", "t", 1, null, null, t, t, Map.of(), List.of("über"), null, null, Position.of("1"), 0);
        assertThat(headers(CloudEventsKafka.record("t", e))).containsEntry("ce_tags", "über");
    }

    @Test
    void ceTimeIsWrittenAsTheStoreFormatsTimesAcrossTheYears() {
        // the relay writes ce_time straight into bytes; it must match Times.format to the microsecond, in and out of 0-9999
        for (String t : List.of("2016-03-31T10:36:42.171234Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z",
                "2000-02-29T12:00:00.000001Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "0999-05-06T07:08:09.1Z",
                "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z")) {
            Instant time = Instant.parse(t);
            Event e = new Event("e", "t", 1, null, null, time, time, Map.of(), List.of(), null, null, Position.of("1"), 0);
            assertThat(headers(CloudEventsKafka.record("t", e)).get("ce_time")).as(t).isEqualTo(Times.format(time));
        }
    }

    @Test
    void aBinaryRecordReadsBackAsTheSameEvent() {
        Event e = event("e-3", AggregateId.of("parcel", "p/1"), "[1,{\"a\":null}]");
        NewEvent back = CloudEventsKafka.read(consumed(CloudEventsKafka.record("t", e))).get(0);

        assertThat(back.id()).isEqualTo("e-3");
        assertThat(back.type()).isEqualTo("parcel.delivered");
        assertThat(back.version()).isEqualTo(2);
        assertThat(back.source()).isEqualTo("depot-scanner:7");
        assertThat(back.aggregate()).isEqualTo(AggregateId.of("parcel", "p/1"));
        assertThat(back.time()).isEqualTo(e.time());
        assertThat(back.tags()).containsExactly("london", "express");
        assertThat(back.metadata()).isEqualTo(Map.of("region", "emea"));
        assertThat(back.payload()).isEqualTo(e.payload());
        assertThat(back.ttl()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void aStructuredRecordIsRead() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"s-1\",\"source\":\"shop\",\"type\":\"order.placed\","
                + "\"subject\":\"o-9\",\"aggregatetype\":\"order\",\"data\":{\"total\":12}}";
        RecordHeaders h = new RecordHeaders();
        h.add("content-type", "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8));
        NewEvent e = CloudEventsKafka.read(new ConsumerRecord<>("t", 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0,
                null, json.getBytes(StandardCharsets.UTF_8), h, Optional.empty())).get(0);
        assertThat(e.id()).isEqualTo("s-1");
        assertThat(e.aggregate()).isEqualTo(AggregateId.of("order", "o-9"));
        assertThat(e.payload().json()).isEqualTo("{\"total\":12}");
    }

    @Test
    void aRecordThatIsNoCloudEventIsRefusedWithTheReason() {
        ConsumerRecord<byte[], byte[]> garbage = new ConsumerRecord<>("t", 0, 0, "k".getBytes(StandardCharsets.UTF_8),
                "hello".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> CloudEventsKafka.read(garbage)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("ce_specversion").hasMessageContaining("application/cloudevents+json");

        RecordHeaders h = new RecordHeaders();
        h.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        h.add("ce_id", "x".getBytes(StandardCharsets.UTF_8));
        h.add("ce_source", "s".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> noType = new ConsumerRecord<>("t", 0, 0, 0L, TimestampType.CREATE_TIME, 0, 0,
                null, "{}".getBytes(StandardCharsets.UTF_8), h, Optional.empty());
        assertThatThrownBy(() -> CloudEventsKafka.read(noType)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("type");
    }

    @Test
    void topicsComeFromTheMapThenTheTemplate() {
        TopicRouter router = new TopicRouter("events.{type}", Map.of("order.placed", "orders"));
        assertThat(router.topic("order.placed")).isEqualTo("orders");
        assertThat(router.topic("parcel.delivered")).isEqualTo("events.parcel.delivered");
        assertThat(router.topic("odd type/ü")).isEqualTo("events.odd_type__");
        assertThat(new TopicRouter("all", Map.of()).topic("x")).isEqualTo("all");
        assertThatThrownBy(() -> new TopicRouter("bad topic", Map.of())).hasMessageContaining("not a Kafka topic name");
    }
}
