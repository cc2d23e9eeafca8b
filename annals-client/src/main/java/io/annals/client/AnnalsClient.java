package io.annals.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.client.internal.Problems;
import io.annals.client.internal.SseSubscription;
import io.annals.client.internal.Urls;
import io.annals.client.internal.Wire;
import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AnnalsException;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.EventStore;
import io.annals.core.api.LogFilter;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreStats;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import io.annals.core.api.TimeRange;
import io.annals.core.api.codec.Json;
import io.annals.core.api.codec.Times;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * An {@link EventStore} that talks to a running annals server over its HTTP API (see docs/http-api.md), on the
 * JDK's {@link HttpClient}. Build one with {@code AnnalsClient.builder().baseUri("http://localhost:8080").build()}.
 *
 * <p>Thread-safe: one client serves any number of threads, sharing the HTTP connection pool. Errors are the core
 * exceptions where one fits ({@link io.annals.core.api.WrongExpectedVersionException} with the stream and both
 * versions, {@link io.annals.core.api.DuplicateIdConflictException}, {@link io.annals.core.api.InvalidEventException}
 * for a 400, {@link StoreUnavailableException} for a 503 or when the server cannot be reached), otherwise an
 * {@link AnnalsHttpException} carrying the status and the server's problem detail ({@link UnauthorizedException}
 * for 401, {@link ForbiddenException} for 403). Nothing is retried automatically: a failed append may be repeated
 * safely when its events carry ids, since the server stores an id once.
 *
 * <p>Timeouts: {@link Builder#requestTimeout} bounds each whole request and answer, body included, so a server that
 * sends its headers and then stalls fails the call with {@link StoreUnavailableException} once it passes. A
 * subscription is long-lived by design, so the request timeout bounds only the wait for its answer's headers; after
 * that, {@link Builder#idleTimeout} drops a stream on which nothing arrives, not even the server's heartbeat, and the
 * subscription reconnects from its last position.
 *
 * <p>{@link #stats()} has no HTTP endpoint and throws {@link UnsupportedOperationException}; the server publishes
 * its store figures on {@code /metrics}.
 */
public final class AnnalsClient implements EventStore {
    private static final String JSON = "application/json";
    private static final String ACCEPT = "application/json, application/problem+json";

    private final HttpClient http;
    private final Urls urls;
    private final URI baseUri;
    private final String authorization;
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private volatile boolean closed;

    private AnnalsClient(Builder b) {
        HttpClient.Builder hb = HttpClient.newBuilder()
                .version(b.version)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (b.executor != null) hb.executor(b.executor);
        if (b.sslContext != null) hb.sslContext(b.sslContext);
        this.http = hb.build();
        this.baseUri = b.baseUri;
        this.urls = new Urls(b.baseUri);
        this.authorization = b.token == null ? null : "Bearer " + b.token;
        this.requestTimeout = b.requestTimeout;
        this.idleTimeout = b.idleTimeout;
    }

    /** A builder with defaults: {@code http://localhost:8080}, no token, 10 s to connect, 30 s per request, 60 s
     *  of silence before a subscription reconnects. */
    public static Builder builder() {
        return new Builder();
    }

    /** A client for {@code baseUri} with every other setting at its default. */
    public static AnnalsClient connect(String baseUri) {
        return builder().baseUri(baseUri).build();
    }

    /** The server this client talks to. */
    public URI baseUri() {
        return baseUri;
    }

    // ---- EventStore

    /** {@code POST /api/events} with the batch form, so that the events are stored atomically. */
    @Override
    public CompletionStage<AppendResult> appendAsync(AppendRequest request) {
        Objects.requireNonNull(request, "request");
        URI uri = urls.resolve("/api/events");
        HttpRequest req = request(uri).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Wire.appendBody(request))).build();
        return sendAsync(req).thenApply(r -> Wire.appendResult(json(r)));
    }

    /** {@code GET /api/events/{id}}; empty when the server answers 404. */
    @Override
    public Optional<Event> get(String id) {
        Objects.requireNonNull(id, "id");
        HttpResponse<byte[]> r = send(request(urls.resolve("/api/events/" + Urls.segment(id))).GET().build());
        if (r.statusCode() == 404) return Optional.empty();
        return Optional.of(Wire.event(json(r)));
    }

    /** One page of {@code GET /api/events}; pass {@code page.next()} to {@link Query#after} for the next one. */
    @Override
    public EventPage query(Query query) {
        Map<String, String> p = Urls.params();
        p.put("type", query.type());
        p.put("tag", query.tag());
        range(query.range(), p);
        if (query.after() == null && query.startOffset() > 0) p.put("startOffset", Integer.toString(query.startOffset()));
        p.put("limit", Integer.toString(query.limit()));
        p.put("order", query.order().text());
        if (query.after() != null) p.put("continueFrom", query.after().encode());
        return Wire.eventPage(json(send(request(urls.resolve("/api/events", p)).GET().build())));
    }

    /** One page of {@code GET /api/aggregates/{type}/{id}/events}, with the stream's version at read time. */
    @Override
    public AggregatePage readAggregate(AggregateQuery query) {
        Map<String, String> p = Urls.params();
        range(query.range(), p);
        p.put("order", query.order().text());
        p.put("limit", Integer.toString(query.limit()));
        if (query.after() != null) p.put("continueFrom", query.after().encode());
        AggregateId a = query.aggregate();
        String path = "/api/aggregates/" + Urls.segment(a.type()) + "/" + Urls.segment(a.id()) + "/events";
        HttpResponse<byte[]> r = send(request(urls.resolve(path, p)).GET().build());
        return Wire.aggregatePage(json(r), etagVersion(r));
    }

    /** Reads the version from a one-event aggregate page. */
    @Override
    public long streamVersion(AggregateId aggregate) {
        return readAggregate(AggregateQuery.of(aggregate).limit(1)).streamVersion();
    }

    /** {@code GET /api/log?from=&limit=}: events strictly after {@code after} in capture order. */
    @Override
    public LogPage readLog(Position after, int limit) {
        Position from = after == null ? Position.start() : after;
        Map<String, String> p = Urls.params();
        p.put("from", from.value());
        p.put("limit", Integer.toString(limit));
        return Wire.logPage(json(send(request(urls.resolve("/api/log", p)).GET().build())), from);
    }

    /**
     * {@code GET /api/subscribe} as Server-Sent Events, followed on a thread of the subscription's own. When the
     * connection drops or the server restarts, the subscription reconnects by itself with {@code Last-Event-ID}, so
     * delivery is at least once across reconnects (deduplicate by event id); within one connection each event comes
     * once, in capture order. A refused position fails here with {@link IllegalArgumentException}; a server that
     * cannot be reached at the start with {@link StoreUnavailableException}. The request timeout bounds the wait
     * for the answer's headers only (the stream itself has no end); when nothing arrives on an open stream for the
     * {@linkplain Builder#idleTimeout idle timeout}, not even the server's heartbeat, the subscription drops the
     * connection and reconnects. See docs/subscriptions.md.
     */
    @Override
    public Subscription subscribe(Position from, LogFilter filter, SubscriptionListener listener) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(listener, "listener");
        if (closed) throw new IllegalStateException("this AnnalsClient is closed");
        return new SseSubscription(http, urls, from, filter, listener, b -> {
            b.timeout(requestTimeout);
            if (authorization != null) b.header("Authorization", authorization);
            return b;
        }, idleTimeout);
    }

    /** Not offered over HTTP: the server publishes its store figures on {@code /metrics} (Prometheus format).
     *  @throws UnsupportedOperationException always */
    @Override
    public StoreStats stats() {
        throw new UnsupportedOperationException("the HTTP API has no stats endpoint; read the annals_store_* figures"
                + " on " + urls.resolve("/metrics"));
    }

    /** Marks the client closed; later calls fail with {@link IllegalStateException}. Connections idle out. */
    @Override
    public void close() {
        closed = true;
    }

    // ---- HTTP-only helpers

    /**
     * Every event that {@code query} matches, fetching pages lazily as the stream is consumed (each page of
     * {@code query.limit()} events). No event stored before the first page was read is skipped or repeated.
     * Errors surface as exceptions from the stream's terminal operation.
     */
    public Stream<Event> queryAll(Query query) {
        return Pages.stream(query, this::query, (q, page) -> page.hasMore() ? q.after(page.next()) : null,
                EventPage::events);
    }

    /** Every event of an aggregate's history that {@code query} selects, fetching pages lazily. */
    public Stream<Event> readAggregateAll(AggregateQuery query) {
        return Pages.stream(query, this::readAggregate, (q, page) -> page.hasMore() ? q.after(page.next()) : null,
                AggregatePage::events);
    }

    /** {@code GET /health}: 200 when up, 503 when the store cannot serve. A server that cannot be reached throws
     *  {@link StoreUnavailableException}. */
    public Health health() {
        HttpResponse<byte[]> r = send(request(urls.resolve("/health")).GET().build());
        JsonNode body;
        try {
            body = Json.mapper().readTree(r.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            if (r.statusCode() != 200 && r.statusCode() != 503) throw Problems.toException(r.statusCode(), r.body(), null);
            return new Health(r.statusCode(), r.statusCode() == 200 ? "UP" : "DOWN", body);
        }
        return new Health(r.statusCode(), body.path("status").asText(null), body);
    }

    /**
     * {@code POST /api/admin/backup}: the server writes a consistent checkpoint of its store into {@code target},
     * a directory on the server's machine that must not exist yet (scope admin). Returns the server's answer.
     */
    public JsonNode backup(String target) {
        String body = Json.write(Json.mapper().createObjectNode().put("target", target));
        HttpRequest req = request(urls.resolve("/api/admin/backup")).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return json(send(req));
    }

    // ---- plumbing

    private HttpRequest.Builder request(URI uri) {
        if (closed) throw new IllegalStateException("this AnnalsClient is closed");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", ACCEPT);
        if (authorization != null) b.header("Authorization", authorization);
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest req) {
        CompletableFuture<HttpResponse<byte[]>> answer = sendAsync(req);
        try {
            return answer.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            if (cause instanceof AnnalsException) throw (AnnalsException) cause;
            throw Problems.transport(req.uri(), cause);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for " + req.uri(), e);
        }
    }

    /**
     * The whole exchange, bounded by the request timeout. The JDK's {@link HttpRequest#timeout} only bounds the wait
     * for the headers, so a timer here covers the body too, and cancels the exchange (closing its connection) when
     * it fires or when the caller gives up.
     */
    private CompletableFuture<HttpResponse<byte[]>> sendAsync(HttpRequest req) {
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray());
        CompletableFuture<HttpResponse<byte[]>> bounded =
                exchange.copy().orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        bounded.whenComplete((r, err) -> {
            if (err != null) exchange.cancel(true);
        });
        return bounded.handle((r, err) -> {
            if (err == null) return r;
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof AnnalsException) throw new CompletionException(cause);
            if (cause instanceof TimeoutException) {
                throw new CompletionException(new StoreUnavailableException("no complete answer from " + req.uri()
                        + " within the request timeout of " + requestTimeout.toMillis() + " ms (the server or the"
                        + " network stalled; raise AnnalsClient.Builder.requestTimeout for slow answers)", cause));
            }
            throw new CompletionException(Problems.transport(req.uri(), cause));
        });
    }

    /** The JSON body of a 2xx answer; any other status becomes its typed exception. */
    private static JsonNode json(HttpResponse<byte[]> r) {
        int status = r.statusCode();
        if (status < 200 || status > 299)
            throw Problems.toException(status, r.body(), r.headers().firstValue("Retry-After").orElse(null));
        return Json.parse(Json.mapper(), r.body());
    }

    private static long etagVersion(HttpResponse<byte[]> r) {
        String etag = r.headers().firstValue("ETag").orElse("").replace("W/", "").replace("\"", "");
        try {
            return Long.parseLong(etag);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void range(TimeRange range, Map<String, String> p) {
        if (range.start() != null) p.put("start", Times.format(range.start()));
        if (range.end() != null) p.put("end", Times.format(range.end()));
    }

    /** Configures an {@link AnnalsClient}; every setter fails at once on a bad value. Not thread-safe. */
    public static final class Builder {
        private URI baseUri = URI.create("http://localhost:8080");
        private String token;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Executor executor;
        private SSLContext sslContext;
        private HttpClient.Version version = HttpClient.Version.HTTP_1_1;

        private Builder() {}

        /** The server's root, for example {@code http://localhost:8080} or {@code https://host/annals}. */
        public Builder baseUri(URI uri) {
            Objects.requireNonNull(uri, "baseUri");
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()))
                throw new IllegalArgumentException("baseUri must be an http:// or https:// URI, not '" + uri + "'");
            if (uri.getHost() == null)
                throw new IllegalArgumentException("baseUri must name a host, such as http://localhost:8080, not '" + uri + "'");
            if (uri.getRawQuery() != null || uri.getRawFragment() != null)
                throw new IllegalArgumentException("baseUri must not carry a query or fragment: '" + uri + "'");
            this.baseUri = uri;
            return this;
        }

        public Builder baseUri(String uri) {
            Objects.requireNonNull(uri, "baseUri");
            try {
                return baseUri(URI.create(uri));
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("baseUri")) throw e;
                throw new IllegalArgumentException("baseUri is not a valid URI: '" + uri + "'", e);
            }
        }

        /** A bearer token sent on every request; null for none. */
        public Builder token(String token) {
            if (token != null && (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)))
                throw new IllegalArgumentException("a bearer token must be printable ASCII without spaces");
            this.token = token;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** The longest wait for a whole answer, body included; a request that takes longer fails with
         *  {@link StoreUnavailableException}. For a subscription it bounds the wait for the answer's headers. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** How long a subscription's open stream may stay silent before it is dropped and reconnected from the last
         *  position (default 60 s). The server sends a heartbeat every half of its idle timeout (15 s by default),
         *  so keep this above that interval. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /** The executor for asynchronous work (completing {@link #appendAsync} stages); default: the JDK's. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The TLS setup for {@code https://} servers (trust store, client certificates); default: the JVM's. */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "sslContext");
            return this;
        }

        /** HTTP/1.1 by default; {@code HTTP_2} negotiates HTTP/2 over TLS where the server offers it. */
        public Builder httpVersion(HttpClient.Version version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        public AnnalsClient build() {
            return new AnnalsClient(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, not " + d);
            return d;
        }
    }
}
