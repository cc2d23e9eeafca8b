package io.annals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subscription scenarios on a real RocksDB store and server, at sizes a test can afford. */
class SubscriptionBenchTest {
    @TempDir
    Path dir;

    @Test
    void theSseReaderJoinsLinesSplitAcrossChunks() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    s.getInputStream().read(new byte[1024]);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "e\r\n: subscribed\n\n\r\n" + "6\r\nid: 1\n\r\n" + "5\r\ndata:\r\n" + "9\r\n {\"a\":1}\n\r\n"
                            + "1\r\n\n\r\n" + "0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            server.start();
            List<String> lines = new ArrayList<>();
            try (SseReader reader = SseReader.open(URI.create("http://127.0.0.1:" + listener.getLocalPort()), "/s")) {
                boolean stopped = reader.read((b, from, to) -> lines.add(new String(b, from, to - from, StandardCharsets.UTF_8)));
                assertThat(stopped).as("the stream ended by itself").isFalse();
            }
            server.join();
            assertThat(lines).containsExactly(": subscribed", "", "id: 1", "data: {\"a\":1}", "");
        }
    }

    @Test
    void everyPostedEventIsDeliveredOnceAndTimed() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.start("rocksdb", dir, Map.of())) {
            List<Result> results = new SseLatency(server.url(), 200, 4, Duration.ofMillis(500), Duration.ofSeconds(1), 300).run();
            Result sse = results.get(0);
            assertThat(sse.name()).isEqualTo("sse-e2e-200");
            assertThat(sse.errors()).as("events lost or repeated").isZero();
            assertThat(sse.events()).isEqualTo(200);
            assertThat(sse.latency().getTotalCount()).isEqualTo(200);
            Result post = results.get(1);
            assertThat(post.errors()).isZero();
            assertThat(post.events()).isEqualTo(200);
        }
    }

    @Test
    void everyReplayReadsTheWholeLog() throws Exception {
        try (EventStore store = EventStores.open("rocksdb", new EngineSettings(dir, Map.of(), Clock.systemUTC()))) {
            long held = Preload.fill(store, 2500, 300);
            assertThat(held).isEqualTo(2500);
            assertThat(Preload.fill(store, 2500, 300)).as("a second fill finds it full").isEqualTo(2500);
            try (EmbeddedServer server = EmbeddedServer.serve(store)) {
                List<Result> results = List.of(SseReplay.readLog("api-readlog", store, held),
                        SseReplay.subscribe("api-subscribe", store, held), SseReplay.sse("sse-replay", server.url(), held));
                for (Result r : results) {
                    assertThat(r.events()).as(r.name()).isEqualTo(2500);
                    assertThat(r.errors()).as(r.name()).isZero();
                }
                assertThat(SubscriptionBench.ratios(results)).singleElement().asString().startsWith("sse-replay / api-readlog");
                assertThat(SubscriptionBench.checks(results, 5000)).singleElement()
                        .satisfies(c -> assertThat(c.what()).isEqualTo("sse-replay rate"));
            }
        }
    }
}
