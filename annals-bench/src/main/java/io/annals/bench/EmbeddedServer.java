package io.annals.bench;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import io.annals.server.AnnalsServer;
import io.annals.server.ServerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** An {@link AnnalsServer} started in this JVM on a free port, serving an {@link EventStore}; closing stops it. */
final class EmbeddedServer implements AutoCloseable {
    private final AnnalsServer server;
    private final EventStore store;
    private final boolean ownsStore;

    private EmbeddedServer(AnnalsServer server, EventStore store, boolean ownsStore) {
        this.server = server;
        this.store = store;
        this.ownsStore = ownsStore;
    }

    /** Opens a store in {@code dir} and serves it; closing stops the server and then closes the store. */
    static EmbeddedServer start(String engine, Path dir, Map<String, String> options) {
        return start(engine, dir, options, 0);
    }

    /** As {@link #start(String, Path, Map)} on {@code port} (0: a free one). */
    static EmbeddedServer start(String engine, Path dir, Map<String, String> options, int port) {
        EventStore store = EventStores.open(engine, new EngineSettings(dir, options, Clock.systemUTC()));
        try {
            return new EmbeddedServer(serverFor(store, port), store, true);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Serves {@code store}, which stays open when the server stops. */
    static EmbeddedServer serve(EventStore store) {
        return new EmbeddedServer(serverFor(store, 0), store, false);
    }

    private static AnnalsServer serverFor(EventStore store, int port) {
        return AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", Integer.toString(port))), store);
    }

    EventStore store() {
        return store;
    }

    URI url() {
        return server.uri();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            if (ownsStore) store.close();
        }
    }
}
