package io.annals.cli;

import io.annals.server.AnnalsServer;
import io.annals.server.ServerConfig;
import java.nio.file.Path;
import java.util.Map;

/** Real annals servers on random ports for the tests. */
final class TestServers {
    private TestServers() {}

    /** A server on the in-memory engine. */
    static AnnalsServer memory() {
        return AnnalsServer.start(ServerConfig.load(null, Map.of("annals.http.port", "0", "annals.store.engine", "memory")));
    }

    /** A server on the RocksDB engine in {@code dataDir}. */
    static AnnalsServer rocksdb(Path dataDir) {
        return AnnalsServer.start(ServerConfig.load(null, Map.of("annals.http.port", "0", "annals.store.engine", "rocksdb",
                "annals.store.data-dir", dataDir.toString())));
    }
}
