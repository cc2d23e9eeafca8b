package io.annals.server.internal;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The server's one connector: plain HTTP, or HTTPS with the configured key store. */
final class Connectors {
    private Connectors() {}

    static ServerConnector create(Server server, HttpConfiguration http, Settings settings) {
        Settings.Http h = settings.http();
        ServerConnector connector;
        if (settings.tls().enabled()) {
            Settings.Tls tls = settings.tls();
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(tls.keystore().toAbsolutePath().toString());
            ssl.setKeyStoreType(tls.keystoreType());
            ssl.setKeyStorePassword(tls.password());
            ssl.setKeyManagerPassword(tls.keyPassword());
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // The certificate names the host clients use; Jetty's SNI check would also refuse clients that send none.
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(h.host());
        connector.setPort(h.port());
        connector.setIdleTimeout(h.idleTimeout().toMillis());
        // While stopping, a kept-alive connection with no request in flight is closed after this long (Jetty: 1 s).
        connector.setShutdownIdleTimeout(100);
        return connector;
    }
}
