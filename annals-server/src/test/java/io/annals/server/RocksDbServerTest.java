package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.annals.core.spi.StorageEngineProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on the default engine, RocksDB in a temporary directory (skipped when the engine is not on the class path). */
class RocksDbServerTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsRocksDb() {
        assumeTrue(ServiceLoader.load(StorageEngineProvider.class).stream().anyMatch(p -> p.get().name().equals("rocksdb")),
                "the rocksdb engine is not on the class path");
    }

    private AnnalsServer start(Path dataDir) {
        return AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", "0",
                "annals.store.engine", "rocksdb", "annals.store.data-dir", dataDir.toString())));
    }

    @Test
    void eventsSurviveARestartAndStreamsContinue() {
        Path data = dir.resolve("data");
        try (AnnalsServer server = start(data)) {
            Http http = new Http(server.uri());
            assertThat(http.postJson("/api/events", """
                    [{"id":"r-1","type":"parcel.scanned","aggregate":{"type":"parcel","id":"p1"},"metadata":{"tags":["north"]},
                      "time":"2024-05-01T10:00:00Z","payload":{"n":1}},
                     {"id":"r-2","type":"parcel.delivered","aggregate":{"type":"parcel","id":"p1"},
                      "time":"2024-05-01T11:00:00Z","payload":{"n":2}}]""").status()).isEqualTo(201);
        }
        try (AnnalsServer server = start(data)) {
            Http http = new Http(server.uri());
            assertThat(http.get("/api/events/r-2").json().get("payload").toString()).isEqualTo("{\"n\":2}");
            assertThat(http.get("/api/events?tag=north").json().get("events")).hasSize(1);
            Http.Resp history = http.get("/api/aggregates/parcel/p1/events");
            assertThat(history.header("ETag")).isEqualTo("\"2\"");
            Http.Resp next = http.postJson("/api/events?expectedVersion=2",
                    "{\"type\":\"parcel.returned\",\"aggregate\":{\"type\":\"parcel\",\"id\":\"p1\"}}");
            assertThat(next.status()).as(next.toString()).isEqualTo(201);
            assertThat(next.json().get("events").get(0).get("streamVersion").asLong()).isEqualTo(3);
            assertThat(http.get("/health").status()).isEqualTo(200);
            assertThat(http.get("/metrics").body()).containsPattern("annals_store_events \\d");
        }
    }

    @Test
    void backupWhileServingCanBeServedItself() {
        Path backup = dir.resolve("backup");
        try (AnnalsServer server = start(dir.resolve("data"))) {
            Http http = new Http(server.uri());
            assertThat(http.postJson("/api/events", "{\"id\":\"b-1\",\"type\":\"t\"}").status()).isEqualTo(201);
            Http.Resp r = http.post("/api/admin/backup", "application/json", "{\"target\":\"" + backup + "\"}");
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(http.postJson("/api/events", "{\"id\":\"b-2\",\"type\":\"t\"}").status()).isEqualTo(201);
        }
        try (AnnalsServer restored = start(backup)) {
            Http http = new Http(restored.uri());
            assertThat(http.get("/api/events/b-1").status()).isEqualTo(200);
            assertThat(http.get("/api/events/b-2").status()).isEqualTo(404);
        }
    }

    @Test
    void oddButValidQueryValuesAreAnswered() {
        try (AnnalsServer server = start(dir.resolve("data"))) {
            Http http = new Http(server.uri());
            assertThat(http.postJson("/api/events", "{\"id\":\"o-1\",\"type\":\"t\\u0000\u00e9\",\"metadata\":{\"tags\":[\"\u00ff\"]}}").status())
                    .isEqualTo(201);
            String longText = "x".repeat(3000);
            for (String path : new String[] {"/api/events?type=" + longText, "/api/events?tag=" + longText,
                    "/api/events?start=0001-01-01T00:00:00Z&end=9999-12-31T23:59:59Z&order=desc",
                    "/api/aggregates/" + "a".repeat(256) + "/" + "b".repeat(256) + "/events",
                    "/api/events/" + longText}) {
                Http.Resp r = http.get(path);
                assertThat(r.status()).as(path.substring(0, Math.min(60, path.length())) + " " + r).isIn(200, 404);
            }
            assertThat(http.get("/api/events?type=t%00%C3%A9").json().get("events")).hasSize(1);
            assertThat(http.get("/api/events?tag=%C3%BF").json().get("events")).hasSize(1);
        }
    }
}
