package io.annals.bench;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** An annals server started in this JVM on a free port, serving an {@link EventStore}; closing stops it. */
final class EmbeddedServer implements AutoCloseable {
    private final EventStore store;
    private final boolean ownsStore;
    private final URI url;

    private EmbeddedServer(EventStore store, boolean ownsStore, URI url) {
        this.store = store;
        this.ownsStore = ownsStore;
        this.url = url;
    }

    /** Opens a store in {@code dir} and serves it; closing stops the server and closes the store. */
    static EmbeddedServer start(String engine, Path dir, Map<String, String> options) {
        EventStore store = EventStores.open(engine, new EngineSettings(dir, options, Clock.systemUTC()));
        try {
            return serve(store, true);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Serves {@code store}, which stays open when the server stops. */
    static EmbeddedServer serve(EventStore store) {
        return serve(store, false);
    }

    private static EmbeddedServer serve(EventStore store, boolean ownsStore) {
        // TODO(annals-server): start io.annals.server.AnnalsServer once it has landed.
        throw new UnsupportedOperationException("annals-server has not landed yet; use --url");
    }

    URI url() {
        return url;
    }

    @Override
    public void close() {
        if (ownsStore) store.close();
    }
}
