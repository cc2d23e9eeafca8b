package io.annals.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.core.api.Event;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import io.annals.core.api.codec.CloudEventJson;
import io.annals.core.api.codec.EventJson;
import io.annals.core.api.codec.Json;
import io.annals.core.api.codec.Times;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The CloudEvents Kafka protocol binding, both ways. The relay writes binary mode: every attribute is a
 * {@code ce_<name>} header (the mapping of {@link CloudEventJson}: subject and {@code aggregateid} are the aggregate id,
 * {@code aggregatetype} its type, {@code tags} comma-separated), {@code content-type} says what the value is, and
 * the value is the payload as stored. The ingest reads binary mode and structured mode (the value is a
 * CloudEvent in JSON, {@code content-type: application/cloudevents+json}, or a batch of them).
 */
public final class CloudEventsKafka {
    public static final String PREFIX = "ce_";
    public static final String CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";
    static final String STRUCTURED = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";
    private static final String CE_SPECVERSION = PREFIX + "specversion";
    private static final String CE_ID = PREFIX + "id";
    private static final String CE_SOURCE = PREFIX + "source";
    private static final String CE_TYPE = PREFIX + "type";
    private static final String CE_TIME = PREFIX + "time";
    private static final String CE_SUBJECT = PREFIX + "subject";
    private static final String CE_AGGREGATETYPE = PREFIX + "aggregatetype";
    private static final String CE_AGGREGATEID = PREFIX + "aggregateid";
    private static final String CE_TAGS = PREFIX + "tags";
    private static final String CE_DATAVERSION = PREFIX + "dataversion";
    private static final String CE_TTL = PREFIX + "ttl";
    private static final byte[] SPEC_1_0 = utf8("1.0");
    private static final byte[] JSON_BYTES = utf8(JSON);
    private static final byte[] NO_SOURCE = utf8(CloudEventJson.NO_SOURCE);
    /** Attributes the relay writes itself; metadata with these names does not travel as an extension. */
    private static final Set<String> RESERVED = Set.of("specversion", "id", "source", "type", "time", "subject",
            "data", "data_base64", "datacontenttype", "dataschema", "aggregatetype", "aggregateid", "tags",
            "dataversion", "ttl");

    private CloudEventsKafka() {}

    /** The record key: {@code aggregateType/aggregateId}, or the event id when the event has no aggregate. */
    public static String key(Event e) {
        return e.aggregate() == null ? e.id() : e.aggregate().type() + "/" + e.aggregate().id();
    }

    /** {@code e} as a binary-mode record for {@code topic}. */
    public static ProducerRecord<byte[], byte[]> record(String topic, Event e) {
        // this runs for every event the relay sends: one array sized once, constant names, no string built twice
        Header[] h = new Header[12 + e.metadata().size()];
        int n = 0;
        h[n++] = new RecordHeader(CE_SPECVERSION, SPEC_1_0);
        h[n++] = new RecordHeader(CE_ID, utf8(e.id()));
        h[n++] = new RecordHeader(CE_SOURCE, e.source() == null ? NO_SOURCE : utf8(e.source()));
        h[n++] = new RecordHeader(CE_TYPE, utf8(e.type()));
        h[n++] = new RecordHeader(CE_TIME, time(e.time()));
        String subject = e.metadata().get("subject");
        if (subject != null) h[n++] = new RecordHeader(CE_SUBJECT, utf8(subject));
        if (e.aggregate() != null) {
            byte[] id = utf8(e.aggregate().id());
            if (subject == null) h[n++] = new RecordHeader(CE_SUBJECT, id);
            h[n++] = new RecordHeader(CE_AGGREGATETYPE, utf8(e.aggregate().type()));
            h[n++] = new RecordHeader(CE_AGGREGATEID, id);
        }
        if (!e.tags().isEmpty())
            h[n++] = new RecordHeader(CE_TAGS, utf8(e.tags().size() == 1 ? e.tags().get(0) : String.join(",", e.tags())));
        if (e.version() != 1) h[n++] = new RecordHeader(CE_DATAVERSION, utf8(Integer.toString(e.version())));
        if (e.ttl() != null) h[n++] = new RecordHeader(CE_TTL, utf8(EventJson.formatTtl(e.ttl())));
        if (!e.metadata().isEmpty()) {
            for (Map.Entry<String, String> m : e.metadata().entrySet()) {
                if (m.getKey().equals("dataschema") || extensionName(m.getKey()))
                    h[n++] = new RecordHeader(PREFIX + m.getKey(), utf8(m.getValue()));
            }
        }
        h[n++] = new RecordHeader(CONTENT_TYPE, JSON_BYTES);
        return new ProducerRecord<>(topic, null, utf8(key(e)), utf8(e.payload().json()),
                n == h.length ? Arrays.asList(h) : Arrays.asList(h).subList(0, n));
    }

    /** {@code time} as {@link Times#format} writes it, straight as the header's bytes (no String per event). */
    static byte[] time(Instant time) {
        return Times.formatAscii(time);
    }

    /**
     * The events a record carries (one, or several for a structured batch).
     * @throws InvalidEventException saying why the record is not a CloudEvent annals can store
     */
    public static List<NewEvent> read(ConsumerRecord<byte[], byte[]> r) {
        String contentType = text(r.headers().lastHeader(CONTENT_TYPE));
        if (r.headers().lastHeader(PREFIX + "specversion") != null) return List.of(readBinary(r, contentType));
        if (contentType != null && contentType.startsWith(STRUCTURED)) return List.of(CloudEventJson.read(value(r)));
        if (contentType != null && contentType.startsWith(BATCH)) return CloudEventJson.readBatch(value(r));
        throw new InvalidEventException("not a CloudEvent: the record has no ce_specversion header (binary mode) and its"
                + " content-type is " + (contentType == null ? "absent" : "'" + contentType + "'")
                + ", not " + STRUCTURED + " (structured mode)");
    }

    private static NewEvent readBinary(ConsumerRecord<byte[], byte[]> r, String contentType) {
        ObjectNode n = Json.mapper().createObjectNode();
        for (Header h : r.headers()) {
            if (h.key().startsWith(PREFIX) && h.key().length() > PREFIX.length())
                n.put(h.key().substring(PREFIX.length()), text(h));
        }
        if (contentType != null) n.put("datacontenttype", contentType);
        if (r.value() != null) {
            if (contentType != null && !contentType.contains("json"))
                throw new InvalidEventException("content-type must be JSON (application/json), not '" + contentType + "'");
            n.set("data", value(r));
        }
        return CloudEventJson.read(n);
    }

    private static JsonNode value(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null || r.value().length == 0) throw new InvalidEventException("the record has no value");
        return Json.parse(Json.mapper(), r.value());
    }

    /** CloudEvents extension names: lower-case letters and digits, at most 20; other metadata keys cannot travel. */
    static boolean extensionName(String name) {
        return !name.isEmpty() && name.length() <= 20 && !RESERVED.contains(name)
                && name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Header h) {
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
