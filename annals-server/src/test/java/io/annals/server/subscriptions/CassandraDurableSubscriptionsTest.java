package io.annals.server.subscriptions;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.SharedCassandra;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The durable subscription tests on the Cassandra engine (the node shared by this test JVM, a keyspace per test,
 * kept across the restart test's reopen): checkpoints in Cassandra's table, the log read behind a settle delay.
 */
class CassandraDurableSubscriptionsTest extends DurableSubscriptionsTest {
    private final String keyspace = "durable_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    @Override
    protected EventStore openStore(Path dir) {
        InetSocketAddress node = SharedCassandra.get().contactPoint();
        Map<String, String> options = Map.of("contact-points", node.getHostString() + ":" + node.getPort(),
                "local-datacenter", "datacenter1", "keyspace", keyspace, "request-timeout", "PT10S",
                "log.settle-delay", "PT0.2S", "driver.advanced.metadata.schema.debouncer.window", "10 milliseconds");
        return EventStores.open("cassandra", new EngineSettings(dir, options, Clock.systemUTC()));
    }
}
