package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.annals.core.spi.EngineSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.annals.devservers.SharedCassandra;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Options for engines under test: the node shared by this test JVM ({@link SharedCassandra}), fast schema changes
 * (driver schema debouncer of 10 ms), a keyspace name per test class ({@link #freshKeyspace}) and
 * {@link #truncate} to empty it between tests.
 */
final class TestCassandra {
    private static final AtomicInteger KEYSPACES = new AtomicInteger();
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    private TestCassandra() {}

    static String contactPoint() {
        String override = System.getProperty("annals.test.cassandra");
        if (override != null) return override;
        InetSocketAddress a = SharedCassandra.get().contactPoint();
        return a.getHostString() + ":" + a.getPort();
    }

    /** A keyspace name no other test of this run uses. */
    static String freshKeyspace(String prefix) {
        return prefix + "_" + RUN + "_" + KEYSPACES.incrementAndGet();
    }

    private static CqlSession admin;

    /** A session for test set-up (truncating), shared by the tests of this JVM. */
    static synchronized CqlSession admin() {
        if (admin == null) {
            String[] hp = contactPoint().split(":");
            admin = CqlSession.builder().addContactPoint(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))
                    .withLocalDatacenter("datacenter1").build();
            CqlSession opened = admin;
            Runtime.getRuntime().addShutdownHook(new Thread(opened::close));
        }
        return admin;
    }

    /**
     * Empties every table of the engine in {@code keyspace} (if it exists). Tests reuse one keyspace per class:
     * each keyspace costs Cassandra about a megabyte of heap per table, so a keyspace per test would exhaust the
     * shared node, and dropping one takes seconds, truncating ~0.1-0.5 s.
     */
    static void truncate(String keyspace) {
        CqlSession s = admin();
        if (s.execute("SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace).one() == null) return;
        List<CompletableFuture<?>> running = new ArrayList<>();
        for (String table : TABLES) {
            running.add(s.executeAsync(SimpleStatement.newInstance("TRUNCATE " + keyspace + "." + table)
                    .setTimeout(Duration.ofSeconds(60))).toCompletableFuture());
        }
        running.forEach(CompletableFuture::join);
    }

    /** Empties one table of {@code keyspace}, if it exists. */
    static void truncate(String keyspace, String table) {
        CqlSession s = admin();
        if (s.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", keyspace, table).one() == null) return;
        s.execute(SimpleStatement.newInstance("TRUNCATE " + keyspace + "." + table).setTimeout(Duration.ofSeconds(60)));
    }

    private static final List<String> TABLES = List.of("events", "stream_heads", "aggregate_events", "events_by_type",
            "events_by_tag", "events_by_time", "buckets", "log", "writers", "checkpoints", "kv");

    static Map<String, String> options(String contactPoint, String keyspace) {
        Map<String, String> o = new HashMap<>();
        o.put("contact-points", contactPoint);
        o.put("local-datacenter", "datacenter1");
        o.put("keyspace", keyspace);
        o.put("request-timeout", "PT10S");
        o.put("driver.advanced.metadata.schema.debouncer.window", "10 milliseconds");
        return o;
    }

    static EngineSettings settings(Map<String, String> options, Clock clock) {
        return new EngineSettings(null, options, clock);
    }
}
