package io.annals.server;

import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.Position;
import io.annals.core.spi.EngineSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One real server per test class, on a free port, over an in-memory store the test can inspect directly.
 * Subclasses override {@link #overrides()} for configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerTestSupport {
    EventStore store;
    AnnalsServer server;
    Http http;

    Map<String, String> overrides() {
        return Map.of();
    }

    @BeforeAll
    void startServer() {
        store = EventStores.open("memory", EngineSettings.of(null));
        Map<String, String> o = new HashMap<>(overrides());
        o.putIfAbsent("annals.http.port", "0");
        server = AnnalsServer.start(ServerConfig.defaults(o), store);
        http = new Http(server.uri());
    }

    @AfterAll
    void stopServer() {
        if (server != null) server.close();
        if (store != null) store.close();
    }

    /** Everything the store holds, in capture order: compared before and after a refused request. */
    List<Event> everything() {
        return store.readLog(Position.start(), 10_000).events();
    }
}
