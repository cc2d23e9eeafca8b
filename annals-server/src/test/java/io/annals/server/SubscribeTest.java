package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.Event;
import io.annals.core.api.codec.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GET /api/subscribe: the global log as Server-Sent Events, resumable with Last-Event-ID. */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // the waits below are bounded by this, never assertions on time
class SubscribeTest extends ServerTestSupport {

    @Override
    Map<String, String> overrides() {
        return Map.of("annals.http.idle-timeout", "1s"); // heartbeats every 500 ms
    }

    private List<Event> post(String type, int n, String... tags) {
        int before = everything().size();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) batch.append(',');
            batch.append("{\"type\":\"").append(type).append("\",\"aggregate\":{\"type\":\"acc\",\"id\":\"").append(i % 3)
                    .append("\"},\"metadata\":{\"tags\":[").append(String.join(",", List.of(tags).stream().map(t -> "\"" + t + "\"").toList()))
                    .append("]},\"payload\":{\"i\":").append(i).append("}}");
        }
        Http.Resp r = http.postJson("/api/events", batch.append(']').toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        List<Event> all = everything();
        return all.subList(before, all.size());
    }

    private static JsonNode json(Sse.Message m) {
        return Json.parse(Json.mapper(), m.data().getBytes(StandardCharsets.UTF_8));
    }

    /** The next n events with data; each one's SSE id is its position. */
    private static List<String> read(Sse sse, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Sse.Message m = sse.nextData();
            assertThat(m).as("event %d of %d", i + 1, n).isNotNull();
            JsonNode e = json(m);
            assertThat(m.id()).isEqualTo(e.get("position").asText());
            ids.add(e.get("id").asText());
        }
        return ids;
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    @Test
    void historyThenLiveEventsArriveWithTheirPositionsAsIds() {
        List<Event> old = post("sse.history", 5);
        try (Sse sse = Sse.open(http, "/api/subscribe")) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            assertThat(sse.response.headers().firstValue("Cache-Control")).contains("no-store");
            List<String> seen = new ArrayList<>(read(sse, everything().size()));
            assertThat(seen).endsWith(ids(old).toArray(String[]::new));
            List<Event> later = post("sse.live", 3);
            assertThat(read(sse, 3)).containsExactlyElementsOf(ids(later));
        }
    }

    @Test
    void lastEventIdResumesStrictlyAfterItAndWinsOverFrom() {
        List<Event> events = post("sse.resume", 6);
        String third = events.get(2).position().value();
        try (Sse sse = Sse.open(http, "/api/subscribe?from=end&type=sse.resume", "Last-Event-ID", third)) {
            assertThat(read(sse, 3)).containsExactlyElementsOf(ids(events.subList(3, 6)));
        }
    }

    @Test
    void fromEndDeliversOnlyLaterEvents() {
        post("sse.before", 2);
        String head = everything().get(everything().size() - 1).position().value();
        try (Sse sse = Sse.open(http, "/api/subscribe?from=end")) {
            List<Event> later = post("sse.after", 2);
            Sse.Message first = sse.nextData();
            assertThat(first.comments()).contains("subscribed after " + head);
            assertThat(json(first).get("id").asText()).isEqualTo(later.get(0).id());
            assertThat(read(sse, 1)).containsExactly(later.get(1).id());
        }
    }

    @Test
    void repeatedParametersMatchAnyOfTheirValues() {
        try (Sse sse = Sse.open(http, "/api/subscribe?from=end&type=f.a&type=f.b&tag=x&tag=y&aggregateType=acc")) {
            post("f.a", 1, "x");
            post("f.c", 1, "x");
            post("f.b", 1, "z");
            List<Event> b = post("f.b", 1, "y");
            Event last = post("f.a", 1).get(0);
            assertThat(json(sse.nextData()).get("type").asText()).isEqualTo("f.a");
            assertThat(read(sse, 1)).containsExactly(b.get(0).id());
            // the events filtered out at the end still move the client's Last-Event-ID on
            Sse.Message m;
            do m = sse.next(); while (!last.position().value().equals(m.id()));
            assertThat(m.data()).isNull();
        }
    }

    @Test
    void quietStreamsGetHeartbeatsAndStayOpenPastTheIdleTimeout() {
        try (Sse sse = Sse.open(http, "/api/subscribe?from=end")) {
            assertThat(sse.awaitHeartbeat()).isTrue();
            assertThat(sse.awaitHeartbeat()).isTrue();
            assertThat(sse.awaitHeartbeat()).isTrue();
            List<Event> later = post("sse.quiet", 1);
            assertThat(read(sse, 1)).containsExactly(later.get(0).id());
        }
    }

    @Test
    void badParametersAreProblemsBeforeTheStreamStarts() {
        for (String[] bad : new String[][] {
                {"/api/subscribe?from=nonsense", "from"}, {"/api/subscribe?from=-4", "from"},
                {"/api/subscribe?limit=3", "limit"}, {"/api/subscribe?type=", "type"},
                {"/api/subscribe?from=start&from=end", "from"}}) {
            Http.Resp r = http.get(bad[0]);
            assertThat(r.status()).as(bad[0]).isEqualTo(400);
            assertThat(r.contentType().orElse("")).startsWith("application/problem+json");
            assertThat(r.json().get("parameter").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
        Http.Resp r = http.get("/api/subscribe", "Last-Event-ID", "nonsense");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("header").asText()).isEqualTo("Last-Event-ID");
        assertThat(r.json().get("detail").asText()).contains("Last-Event-ID");
    }

    @Test
    void aSubscriberThatLeavesIsForgotten() throws Exception {
        try (Sse sse = Sse.open(http, "/api/subscribe?from=end")) {
            assertThat(sse.awaitHeartbeat()).isTrue();
            assertThat(openSubscriptions()).isGreaterThanOrEqualTo(1.0);
        }
        // the next heartbeat finds the connection gone and ends the subscription
        while (openSubscriptions() > 0) Thread.sleep(20);
        assertThat(http.get("/metrics").body()).contains("annals_subscription_events_delivered_total");
    }

    private double openSubscriptions() {
        for (String line : http.get("/metrics").body().split("\n")) {
            if (line.startsWith("annals_subscriptions_open ")) return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        }
        throw new AssertionError("no annals_subscriptions_open in /metrics");
    }
}
