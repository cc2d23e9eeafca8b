package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.Event;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad request gets an application/problem+json answer that says what was wrong, and leaves the store
 * exactly as it was.
 */
class BadRequestTest extends ServerTestSupport {
    private static final String EVENTS = "/api/events";

    @Override
    Map<String, String> overrides() {
        return Map.of("annals.http.max-body-size", "4 KiB", "annals.http.max-json-depth", "16");
    }

    @BeforeAll
    void someEvents() {
        assertThat(http.postJson(EVENTS, "[{\"id\":\"x-1\",\"type\":\"t\",\"aggregate\":{\"type\":\"a\",\"id\":\"1\"}},"
                + "{\"id\":\"x-2\",\"type\":\"t\"}]").status()).isEqualTo(201);
    }

    private record Case(String name, Supplier<Http.Resp> request, int status, String slug, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Case post(String name, String body, int status, String slug, String detail) {
        return new Case(name, () -> http.postJson(EVENTS, body), status, slug, detail);
    }

    private Case get(String name, String path, int status, String detail) {
        return new Case(name, () -> http.get(path), status, status == 404 ? "not-found" : "invalid-request", detail);
    }

    Stream<Arguments> cases() {
        String deep = "[".repeat(20) + "]".repeat(20);
        String big = "{\"type\":\"t\",\"payload\":\"" + "x".repeat(5000) + "\"}";
        return Stream.of(
                post("bad JSON", "{\"type\": \"t\",", 400, "invalid-request", "line 1, column"),
                post("bad JSON on line 3", "{\n\"type\": \"t\"\n,,}", 400, "invalid-request", "line 3"),
                post("trailing garbage", "{\"type\":\"t\"} x", 400, "invalid-request", "not valid JSON"),
                post("duplicate key", "{\"type\":\"a\",\"type\":\"b\"}", 400, "invalid-request", "type"),
                post("missing type", "{\"payload\":1}", 400, "invalid-request", "type is required"),
                post("type not a string", "{\"type\":7}", 400, "invalid-request", "type must be a string"),
                post("unparseable time", "{\"type\":\"t\",\"time\":\"yesterday\"}", 400, "invalid-request",
                        "time must be an RFC 3339 time such as 2016-03-31T10:36:42.171234Z, not 'yesterday'"),
                post("unknown field", "{\"type\":\"t\",\"colour\":\"red\"}", 400, "invalid-request", "unknown field 'colour'"),
                post("empty body", "", 400, "invalid-request", "empty"),
                post("empty batch", "[]", 400, "invalid-request", "at least one event"),
                post("bad event in a batch", "[{\"type\":\"t\"},{\"id\":\"x-3\"}]", 400, "invalid-request", "events[1]"),
                post("id too long", "{\"type\":\"t\",\"id\":\"" + "i".repeat(129) + "\"}", 400, "invalid-request", "128"),
                post("same id twice in one batch", "[{\"id\":\"twice\",\"type\":\"t\"},{\"id\":\"twice\",\"type\":\"t\"}]",
                        400, "invalid-request", "twice"),
                post("nesting too deep", "{\"type\":\"t\",\"payload\":" + deep + "}", 400, "invalid-request", "nested too deeply"),
                post("body over the limit", big, 413, "payload-too-large", "4096 bytes"),
                post("bad expected version", "{\"events\":[{\"type\":\"t\",\"aggregate\":{\"type\":\"a\",\"id\":\"1\"}}],"
                        + "\"expectedVersion\":\"soon\"}", 400, "invalid-request", "expectedVersion"),
                post("expected version across streams", "{\"events\":[{\"type\":\"t\",\"aggregate\":{\"type\":\"a\",\"id\":\"1\"}},"
                        + "{\"type\":\"t\",\"aggregate\":{\"type\":\"a\",\"id\":\"2\"}}],\"expectedVersion\":1}",
                        400, "invalid-request", "one aggregate stream"),
                post("ttl not a duration", "{\"type\":\"t\",\"ttl\":\"30 days\"}", 400, "invalid-request", "ISO-8601"),
                new Case("expected version in query and body", () -> http.postJson(EVENTS + "?expectedVersion=1",
                        "{\"events\":[{\"type\":\"t\",\"aggregate\":{\"type\":\"a\",\"id\":\"1\"}}],\"expectedVersion\":1}"),
                        400, "invalid-request", "once"),
                new Case("negative expected version in query", () -> http.postJson(EVENTS + "?expectedVersion=-1",
                        "{\"type\":\"t\",\"aggregate\":{\"type\":\"a\",\"id\":\"1\"}}"), 400, "invalid-request", "expectedVersion"),
                new Case("unknown parameter on append", () -> http.postJson(EVENTS + "?sync=true", "{\"type\":\"t\"}"),
                        400, "invalid-request", "unknown query parameter 'sync'"),
                new Case("text/plain", () -> http.post(EVENTS, "text/plain", "{\"type\":\"t\"}"),
                        415, "unsupported-media-type", "application/json"),
                new Case("no content type", () -> http.post(EVENTS, null, "{\"type\":\"t\"}"),
                        415, "unsupported-media-type", "no Content-Type"),
                new Case("latin-1 body", () -> http.post(EVENTS, "application/json; charset=ISO-8859-1", "{\"type\":\"t\"}"),
                        415, "unsupported-media-type", "UTF-8"),
                new Case("form post", () -> http.post(EVENTS, "application/x-www-form-urlencoded", "type=t"),
                        415, "unsupported-media-type", "application/x-www-form-urlencoded"),
                new Case("cloud event array as single", () -> http.post(EVENTS, "application/cloudevents+json",
                        "[{\"specversion\":\"1.0\",\"id\":\"c\",\"source\":\"s\",\"type\":\"t\"}]"),
                        400, "invalid-request", "cloudevents-batch+json"),
                new Case("cloud events batch not an array", () -> http.post(EVENTS, "application/cloudevents-batch+json",
                        "{\"specversion\":\"1.0\",\"id\":\"c\",\"source\":\"s\",\"type\":\"t\"}"), 400, "invalid-request", "array"),
                new Case("cloud event without specversion", () -> http.post(EVENTS, "application/cloudevents+json",
                        "{\"id\":\"c\",\"source\":\"s\",\"type\":\"t\"}"), 400, "invalid-request", "specversion is required"),
                new Case("chunked body over the limit", () -> http.send(http.request(EVENTS)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                                big.getBytes(StandardCharsets.UTF_8))))
                        .build()), 413, "payload-too-large", "4096"),
                get("unknown query parameter", EVENTS + "?colour=red", 400, "unknown query parameter 'colour'"),
                get("repeated parameter", EVENTS + "?type=a&type=b", 400, "'type' is given 2 times"),
                get("empty parameter", EVENTS + "?type=", 400, "'type' is empty"),
                get("limit zero", EVENTS + "?limit=0", 400, "limit must be a whole number from 1 to 1000, not '0'"),
                get("limit too large", EVENTS + "?limit=1001", 400, "from 1 to 1000"),
                get("limit not a number", EVENTS + "?limit=ten", 400, "not 'ten'"),
                get("startOffset too large", EVENTS + "?startOffset=10001", 400, "startOffset must be a whole number from 0 to 10000"),
                get("startOffset negative", EVENTS + "?startOffset=-1", 400, "startOffset"),
                get("bad order", EVENTS + "?order=sideways", 400, "order must be asc or desc"),
                get("unparseable start", EVENTS + "?start=yesterday", 400, "start must be an RFC 3339 time"),
                get("unescaped plus in time", EVENTS + "?start=2024-01-01T00:00:00+01:00", 400, "%2B"),
                get("time beyond year 9999", EVENTS + "?end=%2B999999999-12-31T23:59:59Z", 400, "between the years 1 and 9999"),
                get("aggregate time beyond year 9999", "/api/aggregates/a/1/events?start=-999999999-01-01T00:00:00Z", 400,
                        "between the years 1 and 9999"),
                get("end before start", EVENTS + "?start=2024-01-02T00:00:00Z&end=2024-01-01T00:00:00Z", 400, "before start"),
                get("bad continuation", EVENTS + "?continueFrom=garbage!", 400, "continuation"),
                get("continuation with startOffset", EVENTS + "?continueFrom=MTIzOmE&startOffset=2", 400, "first page only"),
                get("parameter on get by id", EVENTS + "/x-1?pretty=true", 400, "takes no parameters"),
                get("aggregate limit too large", "/api/aggregates/a/1/events?limit=10001", 400, "from 1 to 10000"),
                get("aggregate unknown parameter", "/api/aggregates/a/1/events?type=t", 400, "unknown query parameter 'type'"),
                get("aggregate type too long", "/api/aggregates/" + "a".repeat(300) + "/1/events", 400, "longer than 256"),
                get("log from a position this store never gave", "/api/log?from=garbage", 400, "not a position"),
                get("log limit zero", "/api/log?limit=0", 400, "limit"),
                get("unknown route", "/api/nothing", 404, "no route for GET /api/nothing"),
                get("unknown event", EVENTS + "/x-404", 404, "x-404"),
                new Case("method not allowed", () -> http.method("DELETE", EVENTS), 405, "method-not-allowed", "DELETE"),
                new Case("backup without body", () -> http.post("/api/admin/backup", "application/json", ""),
                        400, "invalid-request", "empty"),
                new Case("backup with relative target", () -> http.post("/api/admin/backup", "application/json",
                        "{\"target\":\"backups/today\"}"), 400, "invalid-request", "absolute path")
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badRequestIsAProblemAndChangesNothing(Case c) {
        List<Event> before = everything();
        Http.Resp r = c.request().get();
        assertThat(r.status()).as(r.toString()).isEqualTo(c.status());
        assertThat(r.contentType()).hasValue("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("type").asText()).isEqualTo("https://annals.io/problems/" + c.slug());
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("status").asInt()).isEqualTo(c.status());
        assertThat(p.get("detail").asText()).contains(c.detail());
        assertThat(p.get("instance").asText()).startsWith("/");
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void methodNotAllowedNamesTheMethod() {
        Http.Resp r = http.method("PUT", "/api/events/x-1");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.json().get("detail").asText()).contains("PUT is not allowed on /api/events/x-1");
        assertThat(r.header("Allow")).isEqualTo("GET");
        assertThat(http.method("PATCH", "/api/events").header("Allow")).isEqualTo("GET, POST");
    }

    @Test
    void malformedRequestRefusedByJettyIsAlsoAProblem() throws IOException {
        List<Event> before = everything();
        try (Socket s = new Socket("localhost", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /api/events/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response).containsIgnoringCase("Content-Type: application/problem+json");
            assertThat(response).contains("\"status\":400");
        }
        assertThat(everything()).isEqualTo(before);
    }
}
