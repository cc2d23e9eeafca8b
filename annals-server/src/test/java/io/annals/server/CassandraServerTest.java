package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.devservers.CassandraNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on a real Cassandra node that goes away and comes back: while it is down, appends and reads answer 503
 * problem+json with Retry-After and health and metrics still answer; when it returns, the same server serves again
 * without a restart and every acknowledged event is there. The node is this test's own (it is stopped).
 */
class CassandraServerTest {
    @TempDir static Path dir;
    private static CassandraNode node;
    private static AnnalsServer server;
    private static Http http;

    @BeforeAll
    static void start() {
        node = CassandraNode.builder().workDir(dir.resolve("cassandra")).build().start();
        server = AnnalsServer.start(ServerConfig.defaults(Map.of(
                "annals.http.port", "0",
                "annals.store.engine", "cassandra",
                "annals.store.cassandra.contact-points", node.contactPoint().getHostString() + ":" + node.contactPoint().getPort(),
                "annals.store.cassandra.local-datacenter", node.localDatacenter(),
                "annals.store.cassandra.keyspace", "server_faults",
                "annals.store.cassandra.request-timeout", "PT3S")));
        http = new Http(server.uri());
        // the engine reaches Cassandra in the background: on a busy machine the first calls may come before it has
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (http.get("/health").status() != 200 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (node != null) node.close();
    }

    private static Http.Resp post(String id) {
        return http.post("/api/events", "application/json",
                "{\"id\":\"" + id + "\",\"type\":\"parcel.scanned\",\"aggregate\":{\"type\":\"parcel\",\"id\":\"p-1\"},"
                        + "\"metadata\":{\"tags\":[\"london\"]},\"payload\":{\"n\":1}}");
    }

    @Test
    void answers503WhileCassandraIsDownAndRecoversWithoutARestart() throws Exception {
        assertThat(post("before").status()).isEqualTo(201);
        assertThat(http.get("/api/events/before").status()).isEqualTo(200);

        node.stop();

        Http.Resp append = post("while-down");
        assertThat(append.status()).isEqualTo(503);
        assertThat(append.header("Content-Type")).startsWith("application/problem+json");
        assertThat(append.header("Retry-After")).isNotBlank();
        assertThat(append.json().get("detail").asText()).isNotBlank();
        Http.Resp read = http.get("/api/events?type=parcel.scanned");
        assertThat(read.status()).isEqualTo(503);
        assertThat(read.header("Retry-After")).isNotBlank();
        Http.Resp health = http.get("/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().get("status").asText()).isEqualTo("DOWN");
        assertThat(http.get("/metrics").status()).isEqualTo(200);

        node.restart();

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int status;
        do {
            status = post("after").status();
            if (status != 201) Thread.sleep(500);
        } while (status != 201 && System.nanoTime() < deadline);
        assertThat(status).as("an append once Cassandra is back").isEqualTo(201);
        assertThat(http.get("/health").status()).isEqualTo(200);
        assertThat(http.get("/api/events/before").status()).isEqualTo(200);
        Http.Resp history = http.get("/api/aggregates/parcel/p-1/events");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().get("events").findValuesAsText("id")).contains("before", "after");
        assertThat(history.json().get("events").findValuesAsText("id")).doesNotContain("while-down");
    }
}
