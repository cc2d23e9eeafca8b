package io.annals.server.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The server's settings, read from the {@code annals} tree of a resolved {@link Config} and checked: every failure
 * names the key and says what it should be. See {@code reference.conf} and docs/configuration.md.
 */
public record Settings(Http http, Store store, Auth auth, Tls tls, Subscriptions subscriptions) {

    /** {@code annals.http}. */
    public record Http(String host, int port, long maxBodyBytes, int maxJsonDepth, int maxThreads, Duration idleTimeout,
                       Duration shutdownTimeout) {}

    /** {@code annals.store}: the engine's name, its data directory and its own options (keys without prefix). */
    public record Store(String engine, Path dataDir, Map<String, String> options) {}

    /** {@code annals.auth}: no tokens means no authentication. {@code metricsScope} null means /metrics is open. */
    public record Auth(List<Token> tokens, Scope metricsScope) {
        public boolean enabled() {
            return !tokens.isEmpty();
        }
    }

    /** One configured bearer token and its scopes. */
    public record Token(String token, Set<Scope> scopes) {
        @Override
        public String toString() {
            return "Token[scopes=" + scopes + "]"; // never print the secret
        }
    }

    /** {@code annals.subscriptions}: durable subscriptions (docs/subscriptions.md). */
    public record Subscriptions(int maxInFlight, Duration sessionTimeout, Duration checkpointInterval, Duration leaseTtl,
                                int maxStreams) {}

    /** {@code annals.tls}. */
    public record Tls(boolean enabled, Path keystore, String password, String keyPassword, String keystoreType) {
        @Override
        public String toString() {
            return "Tls[enabled=" + enabled + ", keystore=" + keystore + ", type=" + keystoreType + "]";
        }
    }

    /** Keys that may appear under {@code annals} besides engine options ({@code annals.store.<engine>.*}). */
    private static final Set<String> KNOWN = Set.of(
            "http.host", "http.port", "http.max-body-size", "http.max-json-depth", "http.max-threads",
            "http.idle-timeout", "http.shutdown-timeout",
            "store.engine", "store.data-dir",
            "auth.tokens", "auth.metrics-scope",
            "tls.enabled", "tls.keystore", "tls.password", "tls.key-password", "tls.keystore-type",
            "subscriptions.max-in-flight", "subscriptions.session-timeout", "subscriptions.checkpoint-interval",
            "subscriptions.lease-ttl", "subscriptions.max-streams");

    /** Reads and checks the {@code annals} tree of {@code root}. */
    public static Settings from(Config root) {
        try {
            rejectUnknownKeys(root.getConfig("annals"));
            KafkaSettings.from(root); // checked here too, so that a bad key fails when the configuration is loaded
            return new Settings(http(root), store(root), auth(root), tls(root), subscriptions(root));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("bad configuration: " + e.getMessage(), e);
        }
    }

    private static void rejectUnknownKeys(Config c) {
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            String key = e.getKey();
            if (KNOWN.contains(key)) continue;
            if (key.startsWith("auth.tokens.")) continue; // a list written as properties (tokens.0.token = ...), checked below
            if (key.startsWith("kafka.")) continue; // checked by KafkaSettings
            if (key.startsWith("store.") && key.indexOf('.', "store.".length()) > 0) continue; // engine options
            throw new IllegalArgumentException("unknown configuration key annals." + key
                    + "; docs/configuration.md lists the keys (engine options go under annals.store.<engine>.)");
        }
    }

    private static Http http(Config c) {
        String host = c.getString("annals.http.host");
        int port = c.getInt("annals.http.port");
        if (port < 0 || port > 65535)
            throw new IllegalArgumentException("annals.http.port must be 0 to 65535, not " + port);
        long maxBody = c.getBytes("annals.http.max-body-size");
        if (maxBody < 1 || maxBody > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("annals.http.max-body-size must be between 1 byte and 2 GiB, not " + maxBody);
        int depth = c.getInt("annals.http.max-json-depth");
        if (depth < 2 || depth > 10_000)
            throw new IllegalArgumentException("annals.http.max-json-depth must be 2 to 10000, not " + depth);
        int threads = c.getInt("annals.http.max-threads");
        if (threads < 4) throw new IllegalArgumentException("annals.http.max-threads must be at least 4, not " + threads);
        return new Http(host, port, maxBody, depth, threads, positive(c, "http.idle-timeout"),
                c.getDuration("annals.http.shutdown-timeout"));
    }

    private static Duration positive(Config c, String key) {
        Duration d = c.getDuration("annals." + key);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("annals." + key + " must be positive, not " + d);
        return d;
    }

    private static Store store(Config c) {
        String engine = c.getString("annals.store.engine");
        if (engine.isBlank()) throw new IllegalArgumentException("annals.store.engine must name an engine, such as rocksdb");
        Path dataDir = Path.of(c.getString("annals.store.data-dir"));
        Map<String, String> options = new TreeMap<>();
        if (c.hasPath("annals.store." + quoted(engine))) {
            ConfigValue v = c.getValue("annals.store." + quoted(engine));
            if (v.valueType() != ConfigValueType.OBJECT)
                throw new IllegalArgumentException("annals.store." + engine + " must be an object of engine options");
            for (Map.Entry<String, ConfigValue> e : c.getConfig("annals.store." + quoted(engine)).entrySet()) {
                Object raw = e.getValue().unwrapped();
                String text = raw instanceof List<?> list
                        ? String.join(",", list.stream().map(String::valueOf).toList())
                        : String.valueOf(raw);
                options.put(e.getKey(), text);
            }
        }
        return new Store(engine, dataDir, options);
    }

    private static String quoted(String key) {
        return "\"" + key.replace("\"", "\\\"") + "\"";
    }

    private static Auth auth(Config c) {
        List<Token> tokens = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<? extends Config> entries = c.getConfigList("annals.auth.tokens");
        for (int i = 0; i < entries.size(); i++) {
            Config t = entries.get(i);
            String where = "annals.auth.tokens[" + i + "]";
            for (String key : t.root().keySet()) {
                if (!key.equals("token") && !key.equals("scopes"))
                    throw new IllegalArgumentException(where + " has an unknown key '" + key + "'; a token has token and scopes");
            }
            if (!t.hasPath("token")) throw new IllegalArgumentException(where + ".token is required");
            String token = t.getString("token");
            if (token.length() < 16)
                throw new IllegalArgumentException(where + ".token must be at least 16 characters long; use a long random string");
            if (seen.put(token, i) != null)
                throw new IllegalArgumentException(where + ".token repeats annals.auth.tokens[" + seen.get(token) + "]");
            Set<Scope> scopes = EnumSet.allOf(Scope.class);
            if (t.hasPath("scopes")) {
                scopes = EnumSet.noneOf(Scope.class);
                for (String s : t.getStringList("scopes")) {
                    try {
                        scopes.add(Scope.parse(s));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(where + ".scopes: " + e.getMessage());
                    }
                }
                if (scopes.isEmpty()) throw new IllegalArgumentException(where + ".scopes must name at least one scope");
            }
            tokens.add(new Token(token, Set.copyOf(scopes)));
        }
        String metrics = c.getString("annals.auth.metrics-scope");
        Scope metricsScope;
        try {
            metricsScope = metrics.equals("none") ? null : Scope.parse(metrics);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("annals.auth.metrics-scope must be read, write, admin or none, not '" + metrics + "'");
        }
        return new Auth(List.copyOf(tokens), metricsScope);
    }

    private static Subscriptions subscriptions(Config c) {
        int maxInFlight = c.getInt("annals.subscriptions.max-in-flight");
        if (maxInFlight < 1 || maxInFlight > 100_000)
            throw new IllegalArgumentException("annals.subscriptions.max-in-flight must be 1 to 100000, not " + maxInFlight);
        Duration interval = c.getDuration("annals.subscriptions.checkpoint-interval");
        if (interval.isNegative())
            throw new IllegalArgumentException("annals.subscriptions.checkpoint-interval must not be negative, not " + interval);
        Duration leaseTtl = c.getDuration("annals.subscriptions.lease-ttl");
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0)
            throw new IllegalArgumentException("annals.subscriptions.lease-ttl must be at least 1s, not " + leaseTtl);
        int maxStreams = c.getInt("annals.subscriptions.max-streams");
        if (maxStreams < 1) throw new IllegalArgumentException("annals.subscriptions.max-streams must be at least 1, not " + maxStreams);
        return new Subscriptions(maxInFlight, positive(c, "subscriptions.session-timeout"), interval, leaseTtl, maxStreams);
    }

    private static Tls tls(Config c) {
        boolean enabled = c.getBoolean("annals.tls.enabled");
        String keystore = c.getString("annals.tls.keystore");
        String type = c.getString("annals.tls.keystore-type");
        if (enabled && keystore.isEmpty())
            throw new IllegalArgumentException("annals.tls.enabled is true but annals.tls.keystore names no key store");
        if (enabled && !java.nio.file.Files.isReadable(Path.of(keystore)))
            throw new IllegalArgumentException("annals.tls.keystore " + keystore + " does not exist or cannot be read");
        if (!type.equals("PKCS12") && !type.equals("JKS"))
            throw new IllegalArgumentException("annals.tls.keystore-type must be PKCS12 or JKS, not '" + type + "'");
        String password = c.getString("annals.tls.password");
        String keyPassword = c.getString("annals.tls.key-password");
        return new Tls(enabled, keystore.isEmpty() ? null : Path.of(keystore), password,
                keyPassword.isEmpty() ? password : keyPassword, type);
    }
}
