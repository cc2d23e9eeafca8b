package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverOption;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import io.annals.core.api.StoreUnavailableException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The driver session, opened in the background so that the engine opens even while Cassandra is down (the driver
 * keeps trying to connect), and the schema, created on the first call that finds Cassandra up. Until both are
 * ready, and while the driver reaches no node, calls fail with {@link StoreUnavailableException}; nothing broken
 * is cached, so the engine recovers by itself when Cassandra returns.
 */
final class Connection implements AutoCloseable {
    private final CassandraConfig config;
    private final CompletableFuture<CqlSession> session;
    private volatile Statements statements;
    private volatile boolean closed;

    private Connection(CassandraConfig config, CompletableFuture<CqlSession> session) {
        this.config = config;
        this.session = session;
    }

    static Connection open(CassandraConfig config) {
        CqlSessionBuilder builder = CqlSession.builder().withConfigLoader(loader(config))
                .addContactPoints(config.contactPoints()).withLocalDatacenter(config.localDatacenter());
        if (config.username() != null) builder.withAuthCredentials(config.username(), config.password() == null ? "" : config.password());
        // TLS checks the node's certificate against its host name (contact points must be names the certificate holds)
        if (config.tls()) builder.withSslEngineFactory(new ProgrammaticSslEngineFactory(sslContext(config), null, config.tlsHostnameValidation()));
        return new Connection(config, builder.buildAsync().toCompletableFuture());
    }

    private static DriverConfigLoader loader(CassandraConfig config) {
        ProgrammaticDriverConfigLoaderBuilder b = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, config.requestTimeout())
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, config.readConsistency().name())
                .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, config.serialConsistency().name())
                .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, true)
                .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(500))
                .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(5))
                .withString(DefaultDriverOption.REQUEST_THROTTLER_CLASS, "ConcurrencyLimitingRequestThrottler")
                .withInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS, 1024)
                .withInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE, 1_000_000)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, config.requestTimeout())
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, config.requestTimeout())
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, config.requestTimeout())
                .withBoolean(DefaultDriverOption.REQUEST_WARN_IF_SET_KEYSPACE, false)
                // the engine reads no schema metadata; netty's 2 s quiet period only slows down close()
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0);
        for (Map.Entry<String, String> e : config.driverOptions().entrySet()) b = b.withString(option(e.getKey()), e.getValue());
        return b.build();
    }

    private static DriverOption option(String path) {
        return () -> path;
    }

    private static SSLContext sslContext(CassandraConfig config) {
        try {
            if (config.truststore() == null) return SSLContext.getDefault();
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            try (InputStream in = new FileInputStream(config.truststore())) {
                store.load(in, config.truststorePassword() == null ? null : config.truststorePassword().toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the TLS truststore " + config.truststore() + ": " + e.getMessage(), e);
        }
    }

    /** Waits up to {@code timeout} for the session and schema; false when Cassandra was not reached in time. */
    boolean awaitReady(Duration timeout) {
        try {
            session.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            statements();
            return true;
        } catch (TimeoutException | StoreUnavailableException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** The prepared statements, creating the schema first if no call has done so yet. */
    Statements statements() {
        ensureOpen();
        Statements s = statements;
        if (s != null) return s;
        synchronized (this) {
            if (statements != null) return statements;
            if (session.isCompletedExceptionally()) {
                try {
                    session.join();
                } catch (CompletionException e) {
                    throw unavailable(e.getCause());
                }
            }
            CqlSession cql = session.getNow(null);
            if (cql == null) {
                throw new StoreUnavailableException("Cassandra at " + config.contactPoints() + " has not been reached yet", null);
            }
            try {
                Schema.ensure(cql, config);
                statements = new Statements(cql, config);
            } catch (RuntimeException e) {
                throw unavailable(e);
            }
            return statements;
        }
    }

    /** The prepared statements if a call has made them already, else null (never waits). */
    Statements ready() {
        return statements;
    }

    void ensureOpen() {
        if (closed) throw new StoreUnavailableException("the store is closed", null);
    }

    boolean isClosed() {
        return closed;
    }

    /** Maps a driver failure to a transient error; programming errors (bad CQL) and our own errors pass through. */
    RuntimeException unavailable(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) e = e.getCause();
        if (e instanceof StoreUnavailableException s) return s;
        if (closed) return new StoreUnavailableException("the store is closed", e);
        if (e instanceof QueryValidationException q) return q;
        if (e instanceof DriverException || e instanceof IllegalStateException)
            return new StoreUnavailableException("Cassandra is unavailable: " + e.getMessage(), e);
        if (e instanceof RuntimeException r) return r;
        return new StoreUnavailableException("Cassandra call failed: " + e, e);
    }

    @Override
    public void close() {
        closed = true;
        // a session still trying its first connection is cancelled (the driver then releases its threads)
        if (!session.isDone()) session.cancel(true);
        session.thenAccept(CqlSession::closeAsync);
        CqlSession s = session.isDone() && !session.isCompletedExceptionally() ? session.getNow(null) : null;
        if (s != null) {
            try {
                s.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                s.forceCloseAsync();
            }
        }
    }
}
