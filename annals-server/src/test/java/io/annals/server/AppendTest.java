package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** POST /api/events in every accepted form, and its answers. */
class AppendTest extends ServerTestSupport {

    @Test
    void singleEventIsStoredAndCanBeReadBack() {
        Http.Resp r = http.postJson("/api/events", """
                {"id":"a-1","type":"parcel.delivered","aggregate":{"type":"parcel","id":"p1"},
                 "time":"2016-03-31T10:36:42.171234Z","payload":{"deliveryAddress":"123 Sudbury Avenue","n":1.50}}""");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.contentType()).hasValue("application/json");
        assertThat(r.header("Location")).isEqualTo("/api/events/a-1");
        JsonNode e = r.json().get("events").get(0);
        assertThat(e.get("id").asText()).isEqualTo("a-1");
        assertThat(e.get("streamVersion").asLong()).isEqualTo(1);
        assertThat(e.get("duplicate").asBoolean()).isFalse();
        assertThat(e.get("position").asText()).isNotEmpty();

        Http.Resp got = http.get(r.header("Location"));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("payload").toString()).isEqualTo("{\"deliveryAddress\":\"123 Sudbury Avenue\",\"n\":1.50}");
        assertThat(got.json().get("time").asText()).isEqualTo("2016-03-31T10:36:42.171234Z");
        assertThat(got.json().get("streamVersion").asLong()).isEqualTo(1);
        assertThat(got.json().get("position").asText()).isEqualTo(e.get("position").asText());
    }

    @Test
    void serverAssignsAnIdAndOmitsStreamVersionWithoutAggregate() {
        Http.Resp r = http.postJson("/api/events", "{\"type\":\"ping\"}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode e = r.json().get("events").get(0);
        assertThat(e.get("id").asText()).hasSize(36);
        assertThat(e.has("streamVersion")).isFalse();
        assertThat(r.header("Location")).isEqualTo("/api/events/" + e.get("id").asText());
        assertThat(http.get(r.header("Location")).status()).isEqualTo(200);
    }

    @Test
    void arrayIsAnAtomicBatchAnsweredInRequestOrderWithoutLocation() {
        Http.Resp r = http.postJson("/api/events", """
                [{"id":"b-1","type":"t","aggregate":{"type":"batch","id":"x"}},
                 {"id":"b-2","type":"t","aggregate":{"type":"batch","id":"x"}},
                 {"id":"b-3","type":"t"}]""");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.header("Location")).isNull();
        JsonNode events = r.json().get("events");
        assertThat(events).hasSize(3);
        assertThat(events.get(0).get("id").asText()).isEqualTo("b-1");
        assertThat(events.get(1).get("streamVersion").asLong()).isEqualTo(2);
        assertThat(events.get(2).has("streamVersion")).isFalse();
    }

    @Test
    void repeatedEventIsStoredOnceAndAnswered200AsDuplicate() {
        String body = "{\"id\":\"d-1\",\"type\":\"t\",\"time\":\"2020-01-01T00:00:00Z\",\"payload\":[1,2]}";
        Http.Resp first = http.postJson("/api/events", body);
        int before = everything().size();
        Http.Resp second = http.postJson("/api/events", body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        JsonNode e = second.json().get("events").get(0);
        assertThat(e.get("duplicate").asBoolean()).isTrue();
        assertThat(e.get("position").asText()).isEqualTo(first.json().get("events").get(0).get("position").asText());
        assertThat(everything()).hasSize(before);
    }

    @Test
    void batchWithOneNewEventIs201AndMarksTheDuplicate() {
        http.postJson("/api/events", "{\"id\":\"m-1\",\"type\":\"t\",\"time\":\"2020-01-01T00:00:00Z\"}");
        Http.Resp r = http.postJson("/api/events", """
                [{"id":"m-1","type":"t","time":"2020-01-01T00:00:00Z"},{"id":"m-2","type":"t"}]""");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("events").get(0).get("duplicate").asBoolean()).isTrue();
        assertThat(r.json().get("events").get(1).get("duplicate").asBoolean()).isFalse();
    }

    @Test
    void sameIdWithOtherContentIs409AndWritesNothing() {
        http.postJson("/api/events", "{\"id\":\"c-1\",\"type\":\"t\",\"payload\":1}");
        List<Event> before = everything();
        Http.Resp r = http.postJson("/api/events", "[{\"id\":\"c-new\",\"type\":\"t\"},{\"id\":\"c-1\",\"type\":\"t\",\"payload\":2}]");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.contentType()).hasValue("application/problem+json");
        assertThat(r.json().get("type").asText()).isEqualTo("https://annals.io/problems/duplicate-id-conflict");
        assertThat(r.json().get("eventId").asText()).isEqualTo("c-1");
        assertThat(r.json().get("detail").asText()).contains("c-1");
        assertThat(everything()).isEqualTo(before);
        assertThat(http.get("/api/events/c-new").status()).isEqualTo(404);
    }

    @Test
    void expectedVersionInTheBodyIsChecked() {
        String ok = """
                {"events":[{"type":"opened","aggregate":{"type":"account","id":"ev-1"}}],"expectedVersion":"noStream"}""";
        assertThat(http.postJson("/api/events", ok).status()).isEqualTo(201);
        List<Event> before = everything();
        Http.Resp stale = http.postJson("/api/events", """
                {"events":[{"type":"closed","aggregate":{"type":"account","id":"ev-1"}}],"expectedVersion":0}""");
        assertThat(stale.status()).isEqualTo(409);
        JsonNode p = stale.json();
        assertThat(p.get("type").asText()).isEqualTo("https://annals.io/problems/wrong-expected-version");
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("status").asInt()).isEqualTo(409);
        assertThat(p.get("instance").asText()).isEqualTo("/api/events");
        assertThat(p.get("stream").get("type").asText()).isEqualTo("account");
        assertThat(p.get("stream").get("id").asText()).isEqualTo("ev-1");
        assertThat(p.get("expectedVersion").asText()).isEqualTo("0");
        assertThat(p.get("actualVersion").asLong()).isEqualTo(1);
        assertThat(everything()).isEqualTo(before);
        Http.Resp right = http.postJson("/api/events", """
                {"events":[{"type":"closed","aggregate":{"type":"account","id":"ev-1"}}],"expectedVersion":1}""");
        assertThat(right.status()).isEqualTo(201);
        assertThat(right.json().get("events").get(0).get("streamVersion").asLong()).isEqualTo(2);
    }

    @Test
    void expectedVersionAsQueryParameter() {
        String event = "{\"type\":\"opened\",\"aggregate\":{\"type\":\"account\",\"id\":\"qv-1\"}}";
        assertThat(http.postJson("/api/events?expectedVersion=noStream", event).status()).isEqualTo(201);
        Http.Resp again = http.postJson("/api/events?expectedVersion=noStream", event);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("expectedVersion").asText()).isEqualTo("noStream");
        assertThat(http.postJson("/api/events?expectedVersion=1", event).status()).isEqualTo(201);
        assertThat(http.postJson("/api/events?expectedVersion=any", event).status()).isEqualTo(201);
        assertThat(store.streamVersion(AggregateId.of("account", "qv-1"))).isEqualTo(3);
    }

    @Test
    void cloudEventIsMappedOntoTheModel() {
        Http.Resp r = http.post("/api/events", "application/cloudevents+json", """
                {"specversion":"1.0","id":"ce-1","source":"depot-scanner:7","type":"parcel.scanned",
                 "time":"2016-03-31T10:36:42.171234Z","subject":"ce-parcel","aggregatetype":"parcel",
                 "tags":"urgent,fragile","depot":"north","data":{"weight":2.5}}""");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode e = http.get("/api/events/ce-1").json();
        assertThat(e.get("source").asText()).isEqualTo("depot-scanner:7");
        assertThat(e.get("aggregate").get("id").asText()).isEqualTo("ce-parcel");
        assertThat(e.get("metadata").get("depot").asText()).isEqualTo("north");
        assertThat(e.get("metadata").get("tags").toString()).isEqualTo("[\"urgent\",\"fragile\"]");
        assertThat(e.get("payload").toString()).isEqualTo("{\"weight\":2.5}");
    }

    @Test
    void cloudEventsBatch() {
        Http.Resp r = http.post("/api/events", "application/cloudevents-batch+json; charset=utf-8", """
                [{"specversion":"1.0","id":"ceb-1","source":"s","type":"t"},
                 {"specversion":"1.0","id":"ceb-2","source":"s","type":"t"}]""");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("events")).hasSize(2);
        assertThat(http.get("/api/events/ceb-2").status()).isEqualTo(200);
    }

    @Test
    void idsThatNeedEncodingMakeAWorkingLocation() {
        String id = "order 7/line+1?x=é";
        Http.Resp r = http.postJson("/api/events", "{\"id\":\"" + id + "\",\"type\":\"t\"}");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Location")).isEqualTo("/api/events/order%207%2Fline%2B1%3Fx%3D%C3%A9");
        Http.Resp got = http.get(r.header("Location"));
        assertThat(got.status()).as(got.toString()).isEqualTo(200);
        assertThat(got.json().get("id").asText()).isEqualTo(id);
    }

    @Test
    void concurrentAppendsToOneStreamGetDistinctVersionsAndPositions() throws Exception {
        int threads = 8;
        int each = 25;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<List<JsonNode>>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<JsonNode> answers = new java.util.ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        Http.Resp r = http.postJson("/api/events", "{\"id\":\"cc-" + thread + "-" + i
                                + "\",\"type\":\"t\",\"aggregate\":{\"type\":\"counter\",\"id\":\"cc\"}}");
                        assertThat(r.status()).as(r.toString()).isEqualTo(201);
                        answers.add(r.json().get("events").get(0));
                    }
                    return answers;
                }));
            }
            java.util.Set<Long> versions = new java.util.HashSet<>();
            java.util.Set<String> positions = new java.util.HashSet<>();
            for (var f : futures) {
                for (JsonNode a : f.get(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    versions.add(a.get("streamVersion").asLong());
                    positions.add(a.get("position").asText());
                }
            }
            assertThat(versions).hasSize(threads * each).allMatch(v -> v >= 1 && v <= threads * each);
            assertThat(positions).hasSize(threads * each);
            assertThat(store.streamVersion(AggregateId.of("counter", "cc"))).isEqualTo(threads * each);
            Http.Resp history = http.get("/api/aggregates/counter/cc/events");
            assertThat(history.header("ETag")).isEqualTo("\"" + threads * each + "\"");
        } finally {
            pool.shutdown();
        }
    }
}
