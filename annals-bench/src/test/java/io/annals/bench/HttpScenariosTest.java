package io.annals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.Query;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP scenarios against a real server with a RocksDB store, with both clients. */
class HttpScenariosTest {
    @TempDir
    Path dir;

    private EmbeddedServer server;

    @BeforeEach
    void start() {
        server = EmbeddedServer.start("rocksdb", dir, Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void singleAndBatchPostsAreStoredWithEitherClient() throws Exception {
        for (HttpTarget.Client client : HttpTarget.Client.values()) {
            HttpTarget target = new HttpTarget(server.url(), client, 300, () -> { });
            Runner.Operation single = target.single(0);
            Runner.Operation batch = target.batch(1, 100);
            for (int i = 0; i < 5; i++) assertThat(single.call()).isEqualTo(1);
            for (int i = 0; i < 2; i++) assertThat(batch.call()).isEqualTo(100);
            target.close();
        }
        assertThat(server.store().query(Query.all().limit(1000)).events()).hasSize(2 * 205);
    }

    @Test
    void theRawClientReadsWholePagesOverOneKeptConnection() throws Exception {
        HttpTarget target = new HttpTarget(server.url(), HttpTarget.Client.raw, 300, () -> { });
        target.batch(0, 100).call();
        target.batch(0, 100).call();
        target.close();
        byte[] marker = "\"processedAt\":".getBytes(StandardCharsets.UTF_8);
        try (RawHttpConnection connection = new RawHttpConnection(server.url())) {
            for (int i = 0; i < 3; i++) {
                RawHttpConnection.Answer page = connection.exchange(RawHttpConnection.get(server.url(), "/api/events?limit=150"));
                assertThat(page.status()).isEqualTo(200);
                assertThat(QueryBench.count(page.body(), marker)).isEqualTo(150);
                assertThat(page.text()).endsWith("}");
            }
            RawHttpConnection.Answer missing = connection.exchange(RawHttpConnection.get(server.url(), "/api/events/nope"));
            assertThat(missing.status()).isEqualTo(404);
        }
    }
}
