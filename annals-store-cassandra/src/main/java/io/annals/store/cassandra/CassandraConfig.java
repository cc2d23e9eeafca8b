package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.annals.core.spi.EngineSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The engine's options, read from {@link EngineSettings#option(String, String)}. Every key, its default and its
 * meaning are listed in {@code docs/storage-cassandra.md}. An unknown key or a bad value fails the open with a
 * message that says what is accepted. Keys starting with {@code driver.} are handed to the Java driver as they are
 * ({@code driver.advanced.metadata.schema.debouncer.window = 10 milliseconds}).
 */
record CassandraConfig(
        List<InetSocketAddress> contactPoints,
        String keyspace,
        String localDatacenter,
        String replication,
        boolean createSchema,
        String username,
        String password,
        boolean tls,
        String truststore,
        String truststorePassword,
        boolean tlsHostnameValidation,
        ConsistencyLevel writeConsistency,
        ConsistencyLevel readConsistency,
        ConsistencyLevel serialConsistency,
        boolean asyncIndexes,
        HeadMode headMode,
        Duration aggregateBucket,
        Duration indexBucket,
        Duration logBucket,
        Duration settleDelay,
        Duration requestTimeout,
        Duration repairInterval,
        Duration writerTimeout,
        int writeThreads,
        Map<String, String> driverOptions) {

    static final Set<String> KEYS = Set.of("contact-points", "keyspace", "local-datacenter", "replication", "schema", "username",
            "password", "tls.enabled", "tls.truststore", "tls.truststore-password", "tls.hostname-validation", "consistency.write", "consistency.read",
            "consistency.serial", "index-writes", "stream-heads", "bucket.aggregate", "bucket.index", "bucket.log",
            "log.settle-delay", "request-timeout", "repair.interval", "writer.timeout", "write-threads");

    private static final Pattern KEYSPACE = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,47}");

    static CassandraConfig from(EngineSettings s) {
        Map<String, String> driver = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : s.options().entrySet()) {
            if (e.getKey().startsWith("driver.")) driver.put(e.getKey().substring("driver.".length()), e.getValue());
            else if (!KEYS.contains(e.getKey()))
                throw new IllegalArgumentException("unknown cassandra option '" + e.getKey() + "'; known options: "
                        + new java.util.TreeSet<>(KEYS) + " and driver.<driver option path>");
        }
        String keyspace = s.option("keyspace", "annals");
        if (!KEYSPACE.matcher(keyspace).matches())
            throw new IllegalArgumentException("option keyspace must be a letter then up to 47 letters, digits or _, not '" + keyspace + "'");
        String replication = s.option("replication", "SimpleStrategy:1");
        replicationCql(replication); // fails early on a bad value
        return new CassandraConfig(
                contactPoints(s.option("contact-points", "127.0.0.1:9042")),
                keyspace,
                s.option("local-datacenter", "datacenter1"),
                replication,
                choice(s, "schema", "create", "create", "existing").equals("create"),
                s.option("username", null),
                s.option("password", null),
                bool(s, "tls.enabled", "false"),
                s.option("tls.truststore", null),
                s.option("tls.truststore-password", null),
                bool(s, "tls.hostname-validation", "true"),
                consistency(s, "consistency.write", "LOCAL_QUORUM"),
                consistency(s, "consistency.read", "LOCAL_QUORUM"),
                consistency(s, "consistency.serial", "LOCAL_SERIAL"),
                choice(s, "index-writes", "sync", "sync", "async").equals("async"),
                HeadMode.valueOf(choice(s, "stream-heads", "checked", "checked", "lwt", "local").toUpperCase(Locale.ROOT)),
                bucket(s, "bucket.aggregate", "P1D"),
                bucket(s, "bucket.index", "PT1H"),
                logBucket(bucket(s, "bucket.log", "PT1M")),
                duration(s, "log.settle-delay", "PT2S"),
                positive(duration(s, "request-timeout", "PT10S"), "request-timeout"),
                positive(duration(s, "repair.interval", "PT1S"), "repair.interval"),
                positive(duration(s, "writer.timeout", "PT30S"), "writer.timeout"),
                positiveInt(s, "write-threads", "64"),
                Map.copyOf(driver));
    }

    /**
     * How stream heads move: {@code CHECKED} conditionally only for appends that ask for an expected version,
     * {@code LWT} conditionally for every append, {@code LOCAL} never (versions decided in this process).
     */
    enum HeadMode { CHECKED, LWT, LOCAL }

    /** True when the heads of an append (that asks for an expected version or not) move by conditional writes. */
    boolean conditionalHeads(boolean checked) {
        return headMode == HeadMode.LWT || (headMode == HeadMode.CHECKED && checked);
    }

    long aggregateBucketMicros() { return micros(aggregateBucket); }
    long indexBucketMicros() { return micros(indexBucket); }
    long logBucketMicros() { return micros(logBucket); }

    /** An append whose claim on an id is older than this, and never reached the log, is taken to be abandoned. */
    Duration claimTimeout() {
        return requestTimeout.multipliedBy(3);
    }

    /** The replication map of {@code CREATE KEYSPACE}: {@code SimpleStrategy:3} or {@code NetworkTopologyStrategy:dc1=3,dc2=2}. */
    static String replicationCql(String text) {
        String[] parts = text.split(":", 2);
        String usage = "option replication must be SimpleStrategy:<factor> or NetworkTopologyStrategy:<dc>=<factor>,..., not '" + text + "'";
        if (parts.length != 2) throw new IllegalArgumentException(usage);
        try {
            if (parts[0].equals("SimpleStrategy")) {
                int factor = Integer.parseInt(parts[1].trim());
                if (factor < 1) throw new IllegalArgumentException(usage);
                return "{'class': 'SimpleStrategy', 'replication_factor': " + factor + "}";
            }
            if (parts[0].equals("NetworkTopologyStrategy")) {
                StringBuilder b = new StringBuilder("{'class': 'NetworkTopologyStrategy'");
                for (String dc : parts[1].split(",")) {
                    String[] kv = dc.split("=", 2);
                    if (kv.length != 2 || !kv[0].trim().matches("[A-Za-z0-9_.-]+")) throw new IllegalArgumentException(usage);
                    b.append(", '").append(kv[0].trim()).append("': ").append(Integer.parseInt(kv[1].trim()));
                }
                return b.append('}').toString();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage);
        }
        throw new IllegalArgumentException(usage);
    }

    private static List<InetSocketAddress> contactPoints(String text) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String p : text.split(",")) {
            String hostPort = p.trim();
            int colon = hostPort.lastIndexOf(':');
            try {
                String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
                int port = colon < 0 ? 9042 : Integer.parseInt(hostPort.substring(colon + 1));
                if (host.isEmpty()) throw new NumberFormatException();
                out.add(InetSocketAddress.createUnresolved(host, port));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option contact-points must be host:port[,host:port...], not '" + text + "'");
            }
        }
        return List.copyOf(out);
    }

    private static ConsistencyLevel consistency(EngineSettings s, String key, String dflt) {
        String text = s.option(key, dflt).trim().toUpperCase(Locale.ROOT);
        try {
            return DefaultConsistencyLevel.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option " + key + " must be a consistency level such as LOCAL_QUORUM, QUORUM,"
                    + " ONE or ALL, not '" + s.option(key, dflt) + "'");
        }
    }

    private static int positiveInt(EngineSettings s, String key, String dflt) {
        String text = s.option(key, dflt);
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("option " + key + " must be a whole number >= 1, not '" + text + "'");
    }

    private static boolean bool(EngineSettings s, String key, String dflt) {
        return choice(s, key, dflt, "true", "false").equals("true");
    }

    private static String choice(EngineSettings s, String key, String dflt, String... allowed) {
        String text = s.option(key, dflt).trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) if (a.equals(text)) return a;
        throw new IllegalArgumentException("option " + key + " must be one of " + List.of(allowed) + ", not '" + s.option(key, dflt) + "'");
    }

    private static Duration bucket(EngineSettings s, String key, String dflt) {
        Duration d = duration(s, key, dflt);
        if (d.toNanos() < 1000 || d.toNanos() % 1000 != 0)
            throw new IllegalArgumentException("option " + key + " must be a whole number of microseconds >= 1, not " + d);
        return d;
    }

    /** One append's log times (one microsecond per event, up to 10,000 events) must fit in one log bucket. */
    private static Duration logBucket(Duration d) {
        if (d.toNanos() < io.annals.core.api.AppendRequest.MAX_EVENTS * 1000L)
            throw new IllegalArgumentException("option bucket.log must be at least "
                    + Duration.ofNanos(io.annals.core.api.AppendRequest.MAX_EVENTS * 1000L) + " (one append's log times share a bucket), not " + d);
        return d;
    }

    private static Duration positive(Duration d, String key) {
        if (d.isZero()) throw new IllegalArgumentException("option " + key + " must be positive");
        return d;
    }

    private static Duration duration(EngineSettings s, String key, String dflt) {
        return s.duration(key, dflt);
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }
}
