package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.api.StoreUnavailableException;
import io.annals.devservers.CassandraNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with password authentication and TLS (a self-signed certificate for 127.0.0.1, made with keytool): the
 * engine connects with credentials and a trust store, checking the node's host name; wrong credentials or a trust
 * store without the node's certificate never reach it. The node also takes plain connections
 * ({@code optional: true}) only so that the launcher can see it answer.
 */
class SecuredNodeTest {
    @TempDir
    static Path keys;
    private static CassandraNode node;

    @BeforeAll
    static void startNode() throws Exception {
        keytool("-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keys.resolve("node.p12").toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        keytool("-exportcert", "-alias", "node", "-keystore", keys.resolve("node.p12").toString(), "-storepass", "changeit",
                "-file", keys.resolve("node.crt").toString());
        keytool("-importcert", "-noprompt", "-alias", "node", "-file", keys.resolve("node.crt").toString(),
                "-keystore", keys.resolve("trust.p12").toString(), "-storetype", "PKCS12", "-storepass", "trustpass");
        keytool("-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=other",
                "-keystore", keys.resolve("other.p12").toString(), "-storetype", "PKCS12", "-storepass", "trustpass");
        node = CassandraNode.builder()
                .setting("authenticator", "PasswordAuthenticator")
                .setting("client_encryption_options", "{enabled: true, optional: true, keystore: '" + keys.resolve("node.p12")
                        + "', keystore_password: changeit, store_type: PKCS12}")
                .jvmOption("-Dcassandra.superuser_setup_delay_ms=0")
                .build().start();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) node.close();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("keytool failed: " + out);
    }

    private static Map<String, String> options(String user, String password, String truststore) {
        String cp = node.contactPoint().getHostString() + ":" + node.contactPoint().getPort();
        Map<String, String> o = TestCassandra.options(cp, "secured");
        o.put("request-timeout", "PT5S");
        o.put("username", user);
        o.put("password", password);
        o.put("tls.enabled", "true");
        o.put("tls.truststore", keys.resolve(truststore).toString());
        o.put("tls.truststore-password", "trustpass");
        o.put("log.settle-delay", "PT0S");
        return o;
    }

    @Test
    void theEngineConnectsWithCredentialsOverTls() {
        assertThat(Files.exists(keys.resolve("trust.p12"))).isTrue();
        try (EventStore store = EventStores.open("cassandra", TestCassandra.settings(options("cassandra", "cassandra", "trust.p12"), Clock.systemUTC()))) {
            store.append(NewEvent.ofType("secret").id("s1").build());
            assertThat(store.get("s1")).isPresent();
        }
    }

    @Test
    void wrongCredentialsOrAnUntrustedCertificateNeverReachTheNode() {
        for (Map<String, String> bad : List.of(options("cassandra", "wrong", "trust.p12"), options("cassandra", "cassandra", "other.p12"))) {
            try (EventStore store = EventStores.open("cassandra", TestCassandra.settings(bad, Clock.systemUTC()))) {
                assertThatThrownBy(() -> store.append(NewEvent.ofType("x").build())).isInstanceOf(StoreUnavailableException.class);
            }
        }
    }
}
