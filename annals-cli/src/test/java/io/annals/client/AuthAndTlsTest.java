package io.annals.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.annals.core.api.NewEvent;
import io.annals.core.api.Query;
import io.annals.core.api.StoreUnavailableException;
import io.annals.server.AnnalsServer;
import io.annals.server.ServerConfig;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens and TLS, against real servers configured for them. */
class AuthAndTlsTest {
    private static final String WRITER = "writer-token-0123456789";
    private static final String READER = "reader-token-0123456789";

    @TempDir Path dir;

    private AnnalsServer serverWith(String conf) throws Exception {
        Path file = dir.resolve("annals.conf");
        Files.writeString(file, conf);
        return AnnalsServer.start(ServerConfig.load(file, Map.of("annals.http.port", "0", "annals.store.engine", "memory")));
    }

    @Test
    void tokensAndScopesAreEnforcedWithTypedErrors() throws Exception {
        try (AnnalsServer server = serverWith("annals.auth.tokens = [\n"
                + "  { token = \"" + WRITER + "\" },\n"
                + "  { token = \"" + READER + "\", scopes = [read] } ]\n")) {
            try (AnnalsClient anonymous = AnnalsClient.builder().baseUri(server.uri()).build()) {
                Throwable t = catchThrowable(() -> anonymous.query(Query.all()));
                assertThat(t).isInstanceOf(UnauthorizedException.class);
                assertThat(((UnauthorizedException) t).status()).isEqualTo(401);
                assertThat(anonymous.health().isUp()).as("health needs no token").isTrue();
            }
            try (AnnalsClient wrong = AnnalsClient.builder().baseUri(server.uri()).token("not-a-token").build()) {
                assertThat(catchThrowable(() -> wrong.get("x"))).isInstanceOf(UnauthorizedException.class);
            }
            try (AnnalsClient reader = AnnalsClient.builder().baseUri(server.uri()).token(READER).build();
                 AnnalsClient writer = AnnalsClient.builder().baseUri(server.uri()).token(WRITER).build()) {
                Throwable t = catchThrowable(() -> reader.append(NewEvent.ofType("t").id("a").build()));
                assertThat(t).isInstanceOf(ForbiddenException.class);
                assertThat(((ForbiddenException) t).problem().slug()).isEqualTo("forbidden");
                writer.append(NewEvent.ofType("t").id("a").build());
                assertThat(reader.get("a")).isPresent();
                assertThat(catchThrowable(() -> reader.backup(dir.resolve("b").toString()))).isInstanceOf(ForbiddenException.class);
            }
        }
    }

    @Test
    void httpsWithTheServersCertificateTrusted() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "annals", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        try (AnnalsServer server = serverWith("annals.tls { enabled = true, keystore = \"" + keystore + "\","
                + " password = changeit }\n")) {
            assertThat(server.uri().getScheme()).isEqualTo("https");
            try (AnnalsClient trusting = AnnalsClient.builder().baseUri(server.uri()).sslContext(trusting(keystore)).build()) {
                trusting.append(NewEvent.ofType("t").id("secure").build());
                assertThat(trusting.get("secure")).isPresent();
            }
            try (AnnalsClient untrusting = AnnalsClient.builder().baseUri(server.uri()).build()) {
                assertThat(catchThrowable(() -> untrusting.get("secure"))).isInstanceOf(StoreUnavailableException.class)
                        .hasMessageContaining("TLS handshake");
            }
            try (AnnalsClient plain = AnnalsClient.builder().baseUri("http://localhost:" + server.port()).build()) {
                assertThat(catchThrowable(() -> plain.query(Query.all()))).isNotNull();
            }
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
