package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.annals.server.internal.Scope;
import io.annals.server.internal.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading configuration: defaults, layers, engine options, and refusals that name the key. */
class ServerConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsComeFromReferenceConf() {
        Settings s = Settings.from(ServerConfig.load(null, Map.of()));
        assertThat(s.http().port()).isEqualTo(8080);
        assertThat(s.http().host()).isEqualTo("127.0.0.1");
        assertThat(s.http().maxBodyBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(s.http().maxJsonDepth()).isEqualTo(64);
        assertThat(s.http().shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.store().engine()).isEqualTo("rocksdb");
        assertThat(s.store().dataDir()).isEqualTo(Path.of("./data"));
        assertThat(s.store().options()).isEmpty();
        assertThat(s.auth().enabled()).isFalse();
        assertThat(s.auth().metricsScope()).isEqualTo(Scope.READ);
        assertThat(s.tls().enabled()).isFalse();
        assertThat(s.subscriptions().leaseTtl()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aLeaseTtlUnderASecondIsRefused() {
        assertThat(Settings.from(ServerConfig.load(null, Map.of("annals.subscriptions.lease-ttl", "3s"))).subscriptions().leaseTtl())
                .isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> Settings.from(ServerConfig.load(null, Map.of("annals.subscriptions.lease-ttl", "500ms"))))
                .hasMessageContaining("annals.subscriptions.lease-ttl must be at least 1s");
    }

    @Test
    void fileOverridesDefaultsAndOverridesWinOverTheFile() throws Exception {
        Path file = dir.resolve("annals.conf");
        Files.writeString(file, """
                annals.http { port = 9090, max-body-size = 512 KiB }
                annals.store { engine = memory, data-dir = /var/lib/annals
                  rocksdb { sync = none, block-cache = 64 MiB }
                  memory { flavour = plain, list = [a, b] } }
                annals.auth.tokens = [ { token = "0123456789abcdef-token", scopes = [read] } ]
                """);
        Settings s = Settings.from(ServerConfig.load(file, Map.of("annals.http.port", "7070")));
        assertThat(s.http().port()).isEqualTo(7070);
        assertThat(s.http().maxBodyBytes()).isEqualTo(512 * 1024);
        assertThat(s.store().dataDir()).isEqualTo(Path.of("/var/lib/annals"));
        assertThat(s.store().options()).isEqualTo(Map.of("flavour", "plain", "list", "a,b"));
        assertThat(s.auth().tokens()).hasSize(1);
        assertThat(s.auth().tokens().get(0).scopes()).isEqualTo(Set.of(Scope.READ));
        assertThat(s.auth().tokens().get(0).toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void systemPropertiesOverrideTheFile() throws Exception {
        Path file = dir.resolve("annals.conf");
        Files.writeString(file, "annals.http.max-json-depth = 10\n");
        System.setProperty("annals.http.max-json-depth", "12");
        try {
            com.typesafe.config.ConfigFactory.invalidateCaches();
            assertThat(Settings.from(ServerConfig.load(file, Map.of())).http().maxJsonDepth()).isEqualTo(12);
        } finally {
            System.clearProperty("annals.http.max-json-depth");
            com.typesafe.config.ConfigFactory.invalidateCaches();
        }
    }

    @Test
    void engineOptionsArePassedThroughWithoutPrefix() {
        Config c = ServerConfig.load(null, Map.of("annals.store.rocksdb.sync", "always", "annals.store.rocksdb.wal.dir", "/wal"));
        assertThat(Settings.from(c).store().options()).isEqualTo(Map.of("sync", "always", "wal.dir", "/wal"));
    }

    @Test
    void unknownKeysAreRefusedByName() {
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("annals.http.prot", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("annals.http.prot");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("annals.store.data_dir", "x")))
                .hasMessageContaining("annals.store.data_dir");
    }

    @Test
    void badValuesAreRefusedWithTheKeyAndWhatItTakes() {
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("annals.http.port", "eighty")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("annals.http.port");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("annals.http.port", "70000")))
                .hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("annals.http.max-body-size", "lots")))
                .hasMessageContaining("max-body-size");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("annals.auth.tokens.0.token", "short")))
                .hasMessageContaining("at least 16 characters");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("annals.auth.tokens.0.token", "0123456789abcdef-x",
                "annals.auth.tokens.0.scopes.0", "root")))
                .hasMessageContaining("'root' is not a scope");
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("annals.auth.metrics-scope", "everyone")))
                .hasMessageContaining("read, write, admin or none");
        assertThatThrownBy(() -> ServerConfig.load(dir.resolve("missing.conf"), Map.of()))
                .hasMessageContaining("missing.conf");
    }

    @Test
    void unknownEngineIsNamedWithTheAvailableOnes() {
        assertThatThrownBy(() -> AnnalsServer.start(ServerConfig.load(null, Map.of("annals.store.engine", "mongodb",
                "annals.http.port", "0"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mongodb'").hasMessageContaining("memory").hasMessageContaining("rocksdb")
                .hasMessageContaining("cassandra");
    }
}
