package io.annals.server;

import com.typesafe.config.Config;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.Backups;
import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.StorageEngine;
import io.annals.core.spi.StorageEngineProvider;
import io.annals.server.internal.AdminRoutes;
import io.annals.server.internal.Auth;
import io.annals.server.internal.DurableRoutes;
import io.annals.server.internal.EventRoutes;
import io.annals.server.internal.KafkaSettings;
import io.annals.server.internal.Metrics;
import io.annals.server.internal.Settings;
import io.annals.server.internal.SubscribeRoutes;
import io.annals.server.internal.SystemRoutes;
import io.annals.server.internal.WebServer;
import io.annals.server.subscriptions.DurableSubscriptions;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The annals HTTP server: the API of {@code docs/http-api.md} over an {@link EventStore}, on Javalin and Jetty.
 * <pre>{@code
 * try (AnnalsServer server = AnnalsServer.start(ServerConfig.load(null, Map.of("annals.http.port", "0")))) {
 *     System.out.println("serving on port " + server.port());
 * }
 * }</pre>
 * Thread-safe. {@link #close()} stops taking requests, lets those in flight finish (up to
 * {@code annals.http.shutdown-timeout}) and then closes the store if the server opened it.
 */
public final class AnnalsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnnalsServer.class);

    private final WebServer web;
    private final EventStore store;
    private final boolean ownsStore;
    private final Metrics metrics;
    private final AdminRoutes admin;
    private final SubscribeRoutes subscribe;
    private final DurableSubscriptions durable;
    private final DurableRoutes durableRoutes;
    private final String scheme;
    private final AutoCloseable kafka;
    private volatile boolean stopping;
    private boolean closed;

    private AnnalsServer(Settings settings, KafkaSettings kafkaSettings, EventStore store, Backups backups, boolean ownsStore) {
        this.store = store;
        this.ownsStore = ownsStore;
        this.scheme = settings.tls().enabled() ? "https" : "http";
        this.metrics = new Metrics(store);
        this.admin = new AdminRoutes(backups, settings.http());
        this.subscribe = new SubscribeRoutes(store, metrics, settings.http(), settings.subscriptions());
        this.web = new WebServer(settings, metrics, new Auth(settings.auth().tokens()),
                new EventRoutes(store, metrics, settings.http()), subscribe,
                new SystemRoutes(store, metrics, settings.auth(), () -> stopping), admin);
        this.durable = durableSubscriptions(store, settings.subscriptions());
        this.durableRoutes = new DurableRoutes(durable, settings.http());
        web.register(durableRoutes::register);
        try {
            if (durable != null) durable.bindTo(metrics.registry());
            web.start();
        } catch (RuntimeException e) {
            subscribe.close();
            closeDurable();
            admin.close();
            metrics.close();
            throw e;
        }
        try {
            kafka = kafkaSettings.start(store, metrics.registry());
        } catch (RuntimeException e) {
            subscribe.close();
            closeDurable();
            web.stop();
            admin.close();
            metrics.close();
            throw e;
        }
        Settings.Auth auth = settings.auth();
        LOG.info("annals serves {}://{}:{} (store: {}, auth: {}, tls: {})", scheme, settings.http().host(), port(),
                ownsStore ? settings.store().engine() : "given", auth.enabled() ? auth.tokens().size() + " tokens" : "off",
                settings.tls().enabled() ? "on" : "off");
    }

    /** Durable subscriptions keep their checkpoints in the store: without checkpoints there are none. */
    private static DurableSubscriptions durableSubscriptions(EventStore store, Settings.Subscriptions s) {
        try {
            return new DurableSubscriptions(store, new DurableSubscriptions.Options(s.maxInFlight(), s.sessionTimeout(),
                    s.checkpointInterval(), s.leaseTtl()));
        } catch (UnsupportedOperationException e) {
            LOG.info("durable subscriptions are off: {}", e.getMessage());
            return null;
        }
    }

    private void closeDurable() {
        durableRoutes.close();
        if (durable != null) durable.close();
    }

    /**
     * Opens the store that {@code annals.store} names (engine found with {@link ServiceLoader}) and serves it.
     * The store is closed when the server is, or at once if the server cannot start (port taken, bad key store).
     */
    public static AnnalsServer start(Config config) {
        Settings settings = Settings.from(config);
        StorageEngine engine = openEngine(settings.store());
        EventStore store = EventStores.open(engine, Clock.systemUTC());
        try {
            return new AnnalsServer(settings, KafkaSettings.from(config), store, engine instanceof Backups b ? b : null, true);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Serves a store the caller opened (tests, embedding); {@code annals.store} is ignored and the caller closes the
     * store after the server. Backups are offered when {@code store} implements {@link Backups}.
     */
    public static AnnalsServer start(Config config, EventStore store) {
        return new AnnalsServer(Settings.from(config), KafkaSettings.from(config), store, store instanceof Backups b ? b : null, false);
    }

    private static StorageEngine openEngine(Settings.Store s) {
        ServiceLoader<StorageEngineProvider> providers = ServiceLoader.load(StorageEngineProvider.class);
        for (StorageEngineProvider p : providers) {
            if (p.name().equals(s.engine())) {
                LOG.info("opening the {} store in {}", s.engine(), s.dataDir().toAbsolutePath());
                return p.open(new EngineSettings(s.dataDir(), s.options(), Clock.systemUTC()));
            }
        }
        String known = providers.stream().map(p -> p.get().name()).sorted().collect(Collectors.joining(", "));
        throw new IllegalArgumentException("annals.store.engine is '" + s.engine() + "' but no such engine is on the"
                + " class path; available: " + (known.isEmpty() ? "none" : known));
    }

    private void closeKafka() {
        try {
            kafka.close();
        } catch (Exception e) {
            LOG.warn("closing the kafka relay or ingest failed", e);
        }
    }

    /** The port the server listens on (the one it got when configured with port 0). */
    public int port() {
        return web.port();
    }

    /** The server's base address, for example {@code http://localhost:8080}. */
    public URI uri() {
        return URI.create(scheme + "://localhost:" + port());
    }

    /** Every route the server answers, as "METHOD /path/{param}" (for the test that checks the OpenAPI document). */
    List<String> routes() {
        return web.routes();
    }

    /** The store this server serves. */
    public EventStore store() {
        return store;
    }

    /** Stops gracefully (idempotent): new requests are refused, those in flight finish, then the store closes. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        stopping = true;
        try {
            // subscribers' and consumers' streams end now: a graceful stop would wait for them until its timeout
            subscribe.close();
            closeDurable();
            web.stop();
        } finally {
            closeKafka();
            admin.close();
            metrics.close();
            if (ownsStore) store.close();
            LOG.info("annals server stopped");
        }
    }
}
