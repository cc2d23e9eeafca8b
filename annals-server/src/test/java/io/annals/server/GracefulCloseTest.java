package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreStats;
import io.annals.core.spi.EngineSettings;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** close() lets a request in flight finish: an append waiting on the disk is still acknowledged. */
class GracefulCloseTest {

    @Test
    void appendInFlightIsAnsweredWhileTheServerStops() throws Exception {
        CountDownLatch appendArrived = new CountDownLatch(1);
        CompletableFuture<Void> disk = new CompletableFuture<>();
        try (EventStore memory = EventStores.open("memory", EngineSettings.of(null))) {
            EventStore slow = new SlowStore(memory, appendArrived, disk);
            AnnalsServer server = AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", "0",
                    "annals.http.shutdown-timeout", "120s")), slow); // a stop timeout far longer than the test needs, even on a busy machine
            Http http = new Http(server.uri());
            CompletableFuture<HttpResponse<String>> inFlight = http.client.sendAsync(
                    http.request("/api/events").header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"id\":\"g-1\",\"type\":\"t\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(appendArrived.await(30, TimeUnit.SECONDS)).isTrue();

            Thread closer = new Thread(server::close, "closer");
            closer.start();
            // Wait until the server has begun stopping: /health stops answering UP.
            for (int i = 0; i < 3000 && healthy(server.uri()); i++) Thread.sleep(10);
            assertThat(inFlight).isNotDone();

            disk.complete(null);
            HttpResponse<String> answer = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(201);
            closer.join(30_000);
            assertThat(closer.isAlive()).isFalse();
            assertThat(memory.get("g-1")).isPresent();
        }
    }

    /** A fresh connection each time with a short timeout: a kept-alive one may hang while Jetty stops. */
    private static boolean healthy(java.net.URI base) {
        java.net.HttpURLConnection c = null;
        try {
            c = (java.net.HttpURLConnection) base.resolve("/health").toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            c.setRequestProperty("Connection", "close");
            return c.getResponseCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } finally {
            if (c != null) c.disconnect();
        }
    }

    /** Appends wait for {@code disk} before reaching the store, like a slow fsync. */
    private record SlowStore(EventStore delegate, CountDownLatch arrived, CompletableFuture<Void> disk) implements EventStore {
        @Override
        public CompletionStage<AppendResult> appendAsync(AppendRequest request) {
            arrived.countDown();
            return disk.thenCompose(x -> delegate.appendAsync(request));
        }

        @Override public Optional<Event> get(String id) { return delegate.get(id); }
        @Override public EventPage query(Query query) { return delegate.query(query); }
        @Override public AggregatePage readAggregate(AggregateQuery query) { return delegate.readAggregate(query); }
        @Override public long streamVersion(AggregateId aggregate) { return delegate.streamVersion(aggregate); }
        @Override public LogPage readLog(Position after, int limit) { return delegate.readLog(after, limit); }
        @Override public StoreStats stats() { return delegate.stats(); }
        @Override public void close() { delegate.close(); }
    }
}
