package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.Position;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.spi.EngineSettings;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Starting from configuration alone, closing, and a store that stops answering. */
class LifecycleTest {

    @Test
    void startsTheConfiguredEngineAndClosesItWithTheServer() {
        AnnalsServer server = AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", "0",
                "annals.store.engine", "memory")));
        EventStore store = server.store();
        Http http = new Http(server.uri());
        assertThat(http.postJson("/api/events", "{\"id\":\"l-1\",\"type\":\"t\"}").status()).isEqualTo(201);
        assertThat(store.get("l-1")).isPresent();
        int port = server.port();
        server.close();
        server.close(); // idempotent
        assertThatThrownBy(() -> store.readLog(Position.start(), 1)).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> http.get("/health")).isInstanceOf(UncheckedIOException.class);
        // The port is free again.
        try (ServerSocket s = new ServerSocket(port)) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        } catch (java.io.IOException e) {
            throw new AssertionError("port " + port + " is still taken after close", e);
        }
    }

    @Test
    void aServerGivenAStoreLeavesItOpen() {
        try (EventStore store = EventStores.open("memory", EngineSettings.of(null))) {
            AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", "0")), store).close();
            assertThat(store.readLog(Position.start(), 1).events()).isEmpty();
        }
    }

    @Test
    void aPortInUseFailsTheStartNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> AnnalsServer.start(ServerConfig.defaults(Map.of(
                    "annals.http.port", Integer.toString(taken.getLocalPort()), "annals.store.engine", "memory"))))
                    .hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
    }

    @Test
    void storeThatStopsAnsweringGives503WithRetryAfter() {
        EventStore store = EventStores.open("memory", EngineSettings.of(null));
        try (AnnalsServer server = AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", "0")), store)) {
            Http http = new Http(server.uri());
            store.close();
            for (Http.Resp r : new Http.Resp[] {
                    http.postJson("/api/events", "{\"type\":\"t\"}"),
                    http.get("/api/events/x"),
                    http.get("/api/events?type=t"),
                    http.get("/api/aggregates/a/b/events"),
                    http.get("/api/log")}) {
                assertThat(r.status()).as(r.toString()).isEqualTo(503);
                assertThat(r.header("Retry-After")).isEqualTo("5");
                assertThat(r.json().get("type").asText()).isEqualTo("https://annals.io/problems/unavailable");
                assertThat(r.json().get("detail").asText()).contains("retry later");
            }
            Http.Resp health = http.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(http.get("/metrics").body()).contains("annals_appends_total{outcome=\"unavailable\"} 1");
        }
    }
}
