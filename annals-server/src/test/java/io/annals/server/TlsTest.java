package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from configuration, with a self-signed key store made by keytool for the test. */
class TlsTest {
    private static final String PASSWORD = "changeit-test";

    @TempDir
    Path dir;

    private Path keystore() throws Exception {
        Path ks = dir.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "annals", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return ks;
    }

    private static SSLContext trusting(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void servesHttpsWithTheConfiguredKeyStore() throws Exception {
        Path ks = keystore();
        try (EventStore store = EventStores.open("memory", EngineSettings.of(null));
             AnnalsServer server = AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", "0",
                     "annals.tls.enabled", "true", "annals.tls.keystore", ks.toString(), "annals.tls.password", PASSWORD)), store)) {
            assertThat(server.uri().getScheme()).isEqualTo("https");
            Http https = new Http(server.uri(), HttpClient.newBuilder().sslContext(trusting(ks)).build());
            Http.Resp r = https.postJson("/api/events", "{\"id\":\"tls-1\",\"type\":\"t\"}");
            assertThat(r.status()).isEqualTo(201);
            assertThat(https.get("/api/events/tls-1").status()).isEqualTo(200);

            Http plain = new Http(URI.create("http://localhost:" + server.port()));
            assertThatThrownBy(() -> plain.get("/health")).isInstanceOf(java.io.UncheckedIOException.class);
            // A client that does not trust the certificate is refused by its own TLS layer.
            Http untrusting = new Http(server.uri());
            assertThatThrownBy(() -> untrusting.get("/health")).isInstanceOf(java.io.UncheckedIOException.class);
        }
    }

    @Test
    void tlsWithoutAKeyStoreIsAConfigurationError() {
        assertThatThrownBy(() -> ServerConfig.defaults(Map.of("annals.tls.enabled", "true")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("annals.tls.keystore");
    }
}
