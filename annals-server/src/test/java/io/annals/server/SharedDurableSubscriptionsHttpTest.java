package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One durable subscription over HTTP on two annals servers sharing one RocksDB store (two Javalin apps in this JVM,
 * as two processes would share a Cassandra keyspace): consumers connected to either server share the partitions.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedDurableSubscriptionsHttpTest {
    @TempDir
    Path dir;
    private EventStore store;
    private AnnalsServer one;
    private AnnalsServer two;
    private final List<SseConsumer> consumers = new ArrayList<>();

    @BeforeEach
    void start() {
        store = EventStores.open("rocksdb", new EngineSettings(dir, Map.of("sync", "none"), Clock.systemUTC()));
        one = server();
        two = server();
    }

    private AnnalsServer server() {
        return AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", "0", "annals.http.idle-timeout", "1s",
                "annals.subscriptions.lease-ttl", "5s")), store);
    }

    @AfterEach
    void stop() {
        consumers.forEach(SseConsumer::close);
        if (one != null) one.close();
        if (two != null) two.close();
        if (store != null) store.close();
    }

    private SseConsumer connect(AnnalsServer server, String id) {
        SseConsumer c = new SseConsumer(server.uri(), "s", id);
        consumers.add(c);
        assertThat(c.status).isEqualTo(200);
        return c;
    }

    private static List<String> append(Http http, String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String agg = i % 10 == 9 ? "" : ",\"aggregate\":{\"type\":\"acc\",\"id\":\"" + prefix + (i % 13) + "\"}";
            Http.Resp r = http.postJson("/api/events", "{\"type\":\"t\",\"id\":\"" + prefix + i + "\"" + agg + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            ids.add(prefix + i);
        }
        return ids;
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

    @Test
    void consumersOnTwoServersShareThePartitionsAndTheOneLeftTakesOverWhenAServerStops() {
        Http http1 = new Http(one.uri());
        Http http2 = new Http(two.uri());
        Http.Resp created = http1.send(http1.request("/api/subscriptions/s").header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"partitions\":4}")).build());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        SseConsumer c1 = connect(one, "c1");
        SseConsumer c2 = connect(two, "c2");
        await("each holds two partitions", () -> c1.partitions().size() == 2 && c2.partitions().size() == 2);
        assertThat(c1.partitions()).containsExactly(0, 2);
        assertThat(c2.partitions()).containsExactly(1, 3);
        JsonNode status = http1.get("/api/subscriptions/s").json();
        assertThat(status.get("consumers")).hasSize(2);
        assertThat(status.get("partitions").get(1).get("consumer").asText()).isEqualTo("c2");

        List<String> ids = append(http1, "e", 130);
        await("every event is delivered", () -> c1.events().size() + c2.events().size() >= ids.size());
        List<String> both = new ArrayList<>(c1.ids());
        both.addAll(c2.ids());
        assertThat(both).as("each event once").containsExactlyInAnyOrderElementsOf(ids);
        Map<String, String> consumerOf = new HashMap<>();
        for (SseConsumer c : List.of(c1, c2)) {
            Map<String, Long> lastVersion = new HashMap<>();
            for (JsonNode e : c.events()) {
                JsonNode event = e.get("event");
                assertThat(c.partitions()).contains(e.get("partition").asInt());
                if (!event.has("aggregate")) continue;
                String aggregate = event.get("aggregate").toString();
                assertThat(consumerOf.putIfAbsent(aggregate, c.id)).isIn(null, c.id);
                long version = event.get("streamVersion").asLong();
                assertThat(version).as("order of " + aggregate).isGreaterThan(lastVersion.getOrDefault(aggregate, 0L));
                lastVersion.put(aggregate, version);
            }
        }

        // each acknowledges on its own server; the other server does not know the consumer
        assertThat(http2.postJson("/api/subscriptions/s/ack", c1.ackAllBody()).status()).isEqualTo(409);
        assertThat(http1.postJson("/api/subscriptions/s/ack", c1.ackAllBody()).status()).isEqualTo(204);
        int c1Before = c1.events().size();
        two.close(); // c2 acknowledged nothing: its events go to c1
        two = null;
        await("c1 holds every partition", () -> c1.partitions().size() == 4);
        await("c2's events reach c1", () -> new HashSet<>(c1.ids()).containsAll(ids));
        assertThat(c1.ids().subList(c1Before, c1.ids().size())).containsExactlyInAnyOrderElementsOf(c2.ids());
        await("c2's stream ended", () -> c2.ended);
    }
}
