package io.annals.server.subscriptions;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.SharedCassandra;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-server tests on Cassandra: two separate stores (two sessions, as two annals processes) on one keyspace of
 * the node shared by this test JVM; membership and leases in Cassandra's key-values (lightweight transactions).
 * Skipped while the Cassandra engine keeps no key-values.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS) // lightweight transactions and appends on a busy node
class CassandraSharedDurableSubscriptionsTest extends SharedDurableSubscriptionsTest {
    @TempDir
    Path dir;
    private final String keyspace = "shared_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    /** Starts the shared node (once per JVM) outside the test's own time limit. */
    @BeforeEach
    void node() {
        SharedCassandra.get();
    }

    /** Lightweight transactions on a busy test machine can take seconds. */
    @Override
    protected Duration leaseTtl(boolean lapsing) {
        return Duration.ofSeconds(lapsing ? 3 : 15);
    }

    @Override
    protected EventStore openStore(int index) {
        InetSocketAddress node = SharedCassandra.get().contactPoint();
        Map<String, String> options = Map.of("contact-points", node.getHostString() + ":" + node.getPort(),
                "local-datacenter", "datacenter1", "keyspace", keyspace, "request-timeout", "PT10S",
                "log.settle-delay", "PT0.2S", "driver.advanced.metadata.schema.debouncer.window", "10 milliseconds");
        return EventStores.open("cassandra", new EngineSettings(dir.resolve("store" + index), options, Clock.systemUTC()));
    }
}
