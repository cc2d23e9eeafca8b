package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Durable subscriptions over HTTP, on a server with its own RocksDB store in a temporary directory. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DurableSubscriptionsHttpTest {
    @TempDir
    Path dir;
    private AnnalsServer server;
    private Http http;
    private final List<SseConsumer> consumers = new ArrayList<>();

    @BeforeEach
    void start() {
        server = AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", "0", "annals.store.data-dir", dir.toString(),
                "annals.store.rocksdb.sync", "none", "annals.http.idle-timeout", "1s")));
        http = new Http(server.uri());
    }

    @AfterEach
    void stop() {
        consumers.forEach(SseConsumer::close);
        if (server != null) server.close();
    }

    private void restart() {
        server.close();
        start();
    }

    private SseConsumer connect(String subscription, String id) {
        SseConsumer c = new SseConsumer(server.uri(), subscription, id);
        consumers.add(c);
        assertThat(c.status).isEqualTo(200);
        return c;
    }

    private List<String> append(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String agg = i % 10 == 9 ? "" : ",\"aggregate\":{\"type\":\"acc\",\"id\":\"" + prefix + (i % 11) + "\"}";
            Http.Resp r = http.postJson("/api/events", "{\"type\":\"t\",\"id\":\"" + prefix + i + "\"" + agg + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            ids.add(prefix + i);
        }
        return ids;
    }

    private Http.Resp put(String name, String spec) {
        return http.send(http.request("/api/subscriptions/" + name).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(spec)).build());
    }

    private Http.Resp ack(String name, String body) {
        return http.postJson("/api/subscriptions/" + name + "/ack", body);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("gave up waiting until " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    private static void assertProblem(Http.Resp r, int status, String slug) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(r.json().get("type").asText()).endsWith("/" + slug);
        assertThat(r.json().get("detail").asText()).isNotBlank();
    }

    @Test
    void createShowListAndDeleteASubscription() {
        Http.Resp created = put("orders", "{\"partitions\":4,\"filter\":{\"types\":[\"t\"]}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/subscriptions/orders");
        assertThat(created.json().get("spec").get("partitions").asInt()).isEqualTo(4);
        assertThat(created.json().get("partitions")).hasSize(4);
        assertThat(put("orders", "{\"partitions\":4,\"filter\":{\"types\":[\"t\"]}}").status()).isEqualTo(200);
        assertProblem(put("orders", "{\"partitions\":5}"), 409, "subscription-exists");
        assertProblem(put("bad%20name", "{}"), 400, "invalid-request");
        assertProblem(put("x", "{\"partitions\":0}"), 400, "invalid-request");
        assertProblem(put("x", "{\"from\":\"no-such-position\"}"), 400, "invalid-request");
        assertProblem(put("x", "{\"shards\":3}"), 400, "invalid-request");
        assertProblem(put("x", "[1,2]"), 400, "invalid-request");

        assertThat(http.get("/api/subscriptions").json().get("subscriptions").toString()).isEqualTo("[\"orders\"]");
        JsonNode status = http.get("/api/subscriptions/orders").json();
        assertThat(status.get("partitions").get(0).get("checkpoint").asText()).isEqualTo("start");
        assertThat(status.get("consumers")).isEmpty();
        assertProblem(http.get("/api/subscriptions/nope"), 404, "not-found");
        Http.Resp events = http.get("/api/subscriptions/nope/events?consumer=c1");
        assertProblem(events, 404, "not-found");
        assertProblem(http.get("/api/subscriptions/orders/events"), 400, "invalid-request");
        assertProblem(http.get("/api/subscriptions/orders/events?consumer=a%20b"), 400, "invalid-request");

        assertThat(http.method("DELETE", "/api/subscriptions/orders").status()).isEqualTo(204);
        assertProblem(http.method("DELETE", "/api/subscriptions/orders"), 404, "not-found");
        assertThat(http.get("/api/subscriptions").json().get("subscriptions")).isEmpty();
    }

    @Test
    void twoConsumersShareTheWorkAndWhenOneHangsUpTheOtherGetsEverythingUnacknowledged() {
        assertThat(put("s", "{\"partitions\":4}").status()).isEqualTo(201);
        SseConsumer c1 = connect("s", "c1");
        SseConsumer c2 = connect("s", "c2");
        await("both are assigned", () -> c1.partitions().size() == 2 && c2.partitions().size() == 2);
        List<String> ids = append("e", 120);
        await("every event is delivered", () -> c1.events().size() + c2.events().size() >= ids.size());
        List<String> both = new ArrayList<>(c1.ids());
        both.addAll(c2.ids());
        assertThat(both).containsExactlyInAnyOrderElementsOf(ids);
        for (JsonNode e : c1.events()) assertThat(c1.partitions()).contains(e.get("partition").asInt());
        Set<String> aggregatesOfC1 = new HashSet<>();
        for (JsonNode e : c1.events()) if (e.get("event").has("aggregate")) aggregatesOfC1.add(e.get("event").get("aggregate").toString());
        for (JsonNode e : c2.events()) if (e.get("event").has("aggregate")) assertThat(aggregatesOfC1).doesNotContain(e.get("event").get("aggregate").toString());

        assertThat(ack("s", c2.ackAllBody()).status()).isEqualTo(204);
        assertThat(ack("s", c2.ackAllBody()).status()).as("a repeated acknowledgement").isEqualTo(204);
        int c2Before = c2.events().size();
        c1.close(); // hangs up without acknowledging anything
        await("c2 holds every partition", () -> c2.partitions().size() == 4);
        await("c1's events reach c2", () -> new HashSet<>(c2.ids()).containsAll(ids));
        assertThat(c2.ids().subList(c2Before, c2.ids().size())).containsExactlyInAnyOrderElementsOf(c1.ids());
        JsonNode status = http.get("/api/subscriptions/s").json();
        assertThat(status.get("consumers")).hasSize(1);
        assertThat(status.get("consumers").get(0).get("partitions")).hasSize(4);
    }

    @Test
    void aRestartedServerResumesAfterTheAcknowledgedCheckpoints() {
        assertThat(put("s", "{\"partitions\":2}").status()).isEqualTo(201);
        SseConsumer c = connect("s", "c");
        List<String> first = append("a", 30);
        await("delivered", () -> c.events().size() == first.size());
        assertThat(ack("s", c.ackAllBody()).status()).isEqualTo(204);
        List<String> second = append("b", 20);
        await("delivered", () -> c.events().size() == first.size() + second.size());

        restart();
        SseConsumer again = connect("s", "c");
        List<String> third = append("c", 10);
        List<String> expected = new ArrayList<>(second);
        expected.addAll(third);
        await("the unacknowledged and new events", () -> again.events().size() >= expected.size());
        assertThat(again.ids()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void acknowledgementsThatDoNotFitAreProblems() {
        assertThat(put("s", "{\"partitions\":2}").status()).isEqualTo(201);
        SseConsumer c = connect("s", "c");
        append("e", 10);
        await("delivered", () -> c.events().size() == 10);
        JsonNode first = c.events().get(0);
        int p = first.get("partition").asInt();
        assertProblem(ack("s", "{\"consumer\":\"nobody\",\"acks\":[{\"partition\":0,\"position\":\"1\"}]}"), 409, "not-a-member");
        assertProblem(ack("s", "{\"consumer\":\"c\",\"acks\":[{\"partition\":" + p + ",\"position\":\"999\"}]}"), 409, "ack-not-pending");
        assertProblem(ack("s", "{\"consumer\":\"c\",\"acks\":[{\"partition\":7,\"position\":\"1\"}]}"), 400, "invalid-request");
        assertProblem(ack("s", "{\"consumer\":\"c\",\"acks\":[]}"), 400, "invalid-request");
        assertProblem(ack("s", "{\"consumer\":\"c\"}"), 400, "invalid-request");
        assertProblem(ack("nope", "{\"consumer\":\"c\",\"acks\":[{\"partition\":0,\"position\":\"1\"}]}"), 404, "not-found");
        assertThat(ack("s", "{\"consumer\":\"c\",\"acks\":[{\"partition\":" + p + ",\"position\":\"" + first.get("position").asText() + "\"}]}").status())
                .isEqualTo(204);
        JsonNode status = http.get("/api/subscriptions/s").json();
        assertThat(status.get("partitions").get(p).get("checkpoint").asText()).isEqualTo(first.get("position").asText());
        assertThat(status.get("pending").asInt()).isEqualTo(9);
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("annals_durable_subscription_lag_seconds{subscription=\"s\"}")
                .contains("annals_durable_subscription_delivered_total{subscription=\"s\"} 10.0")
                .contains("annals_durable_subscription_pending{subscription=\"s\"} 9.0");
    }

    @Test
    void deletingASubscriptionEndsItsStreams() {
        assertThat(put("s", "{}").status()).isEqualTo(201);
        SseConsumer c = connect("s", "c");
        await("assigned", () -> c.partitions().size() == 8);
        assertThat(http.method("DELETE", "/api/subscriptions/s").status()).isEqualTo(204);
        await("the stream ends", () -> c.ended);
        assertThat(c.closedReason()).contains("deleted");
    }
}
