package io.annals.client.internal;

import io.annals.core.api.AnnalsException;
import io.annals.core.api.Event;
import io.annals.core.api.LogFilter;
import io.annals.core.api.Position;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import io.annals.core.api.codec.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription over {@code GET /api/subscribe}: a thread of its own reads the Server-Sent Events line by line and
 * calls the listener. When the connection drops or the server stops, it connects again with {@code Last-Event-ID}
 * set to the last position seen (with back-off, from 100 ms up to 5 s), so events after it arrive once more
 * at most (at least once; deduplicate by id). An answer that retrying cannot fix (401, 403, 400) ends it.
 *
 * <p>A connection on which nothing arrives for the idle timeout (the server sends a heartbeat comment every half of
 * its own idle timeout, 15 s by default) is taken for a dead one, such as a half-open TCP connection or a stalled
 * proxy: a watchdog closes it, and the subscription reconnects as after any other break.
 */
public final class SseSubscription implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(SseSubscription.class);
    private static final AtomicInteger NUMBER = new AtomicInteger();
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final HttpClient http;
    private final String uri;
    private final Function<HttpRequest.Builder, HttpRequest.Builder> decorate;
    private final SubscriptionListener listener;
    private final Thread thread;
    private final Clock clock = Clock.systemUTC();
    private volatile InputStream body;
    private volatile Position position;
    private volatile boolean live;
    private volatile boolean closing;
    private volatile boolean ended;
    private volatile Instant lastCaptured;
    private volatile long delivered;
    private final long idleNanos;
    private volatile long lastHeardNanos = System.nanoTime();

    /**
     * Connects once (so that a refused position fails here, as {@link IllegalArgumentException}), then follows
     * the stream on a new thread. {@code decorate} adds the authorization header and the timeout for the answer's
     * headers; {@code idleTimeout} is how long an open stream may stay silent before it is dropped.
     */
    public SseSubscription(HttpClient http, Urls urls, Position from, LogFilter filter, SubscriptionListener listener,
                           Function<HttpRequest.Builder, HttpRequest.Builder> decorate, Duration idleTimeout) {
        this.http = http;
        this.idleNanos = idleTimeout.toNanos();
        this.uri = uri(urls, filter);
        this.decorate = decorate;
        this.listener = listener;
        this.position = from;
        InputStream first;
        try {
            first = connect();
        } catch (AnnalsException e) {
            if (e.isTransient()) throw e;
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.body = first;
        this.thread = new Thread(() -> run(first), "annals-client-subscription-" + NUMBER.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
        watchIdle();
    }

    /** Checks for a silent stream every quarter of the idle timeout until the subscription ends. */
    private void watchIdle() {
        if (closing || ended) return;
        CompletableFuture.delayedExecutor(Math.max(idleNanos / 4, 1), TimeUnit.NANOSECONDS).execute(() -> {
            InputStream current = body;
            if (current != null && !closing && System.nanoTime() - lastHeardNanos > idleNanos) {
                LOG.debug("nothing arrived on a subscription for {} ms, reconnecting", idleNanos / 1_000_000);
                closeQuietly(current); // the reading thread sees the stream break and reconnects
            }
            watchIdle();
        });
    }

    private static String uri(Urls urls, LogFilter filter) {
        StringJoiner q = new StringJoiner("&");
        filter.types().forEach(t -> q.add("type=" + Urls.encodeParam(t)));
        filter.tags().forEach(t -> q.add("tag=" + Urls.encodeParam(t)));
        filter.aggregateTypes().forEach(t -> q.add("aggregateType=" + Urls.encodeParam(t)));
        return urls.resolve("/api/subscribe").toString() + "?" + q + (q.length() == 0 ? "" : "&") + "from=";
    }

    /** Opens the stream from the current position; throws the server's problem for an error answer. */
    private InputStream connect() {
        URI target = URI.create(uri + Urls.encodeParam(position.value()));
        HttpRequest request = decorate.apply(HttpRequest.newBuilder(target)
                .header("Accept", "text/event-stream")).GET().build();
        HttpResponse<InputStream> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw Problems.transport(target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while connecting to " + target, e);
        }
        if (r.statusCode() != 200) {
            byte[] problem;
            try (InputStream in = r.body()) {
                problem = in.readAllBytes();
            } catch (IOException e) {
                problem = new byte[0];
            }
            throw Problems.toException(r.statusCode(), problem, r.headers().firstValue("Retry-After").orElse(null));
        }
        lastHeardNanos = System.nanoTime();
        return r.body();
    }

    private void run(InputStream first) {
        Throwable failure = null;
        InputStream in = first;
        int attempts = 0;
        try {
            while (!closing) {
                if (in == null) {
                    try {
                        in = connect();
                        body = in;
                        if (closing) break;
                    } catch (AnnalsException e) {
                        if (!e.isTransient()) throw e;
                        attempts++;
                        long backoff = Math.min(100L << Math.min(attempts, 10), MAX_BACKOFF_MILLIS);
                        LOG.debug("reconnecting a subscription in {} ms: {}", backoff, e.toString());
                        Thread.sleep(backoff);
                        continue;
                    }
                }
                try {
                    if (read(in)) attempts = 0;
                } catch (IOException e) {
                    if (closing) break;
                    LOG.debug("a subscription's stream broke, reconnecting: {}", e.toString());
                }
                closeQuietly(in);
                in = null;
                body = null;
                live = false;
            }
        } catch (Throwable t) {
            if (!closing) failure = t;
        }
        closeQuietly(in);
        Thread.interrupted();
        ended = true;
        try {
            listener.onClosed(failure);
        } catch (RuntimeException e) {
            LOG.warn("a subscription listener failed while closing", e);
        }
    }

    /** Reads messages until the stream ends; true if it carried any. Listener failures propagate as they are. */
    private boolean read(InputStream in) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024);
        String id = null;
        StringBuilder data = null;
        boolean any = false;
        for (String line = lines.readLine(); line != null && !closing; line = lines.readLine()) {
            lastHeardNanos = System.nanoTime();
            if (line.isEmpty()) {
                if (data != null) {
                    Event e = Wire.event(Json.parse(Json.mapper(), data.toString().getBytes(StandardCharsets.UTF_8)));
                    live = false;
                    lastCaptured = e.processedAt();
                    listener.onEvent(e);
                    delivered++;
                    position = id != null ? Position.of(id) : e.position();
                    any = true;
                } else if (id != null) {
                    position = Position.of(id);
                    listener.onProgress(position, false);
                    any = true;
                }
                id = null;
                data = null;
            } else if (line.startsWith("id:")) {
                id = value(line, 3);
            } else if (line.startsWith("data:")) {
                data = data == null ? new StringBuilder(value(line, 5)) : data.append('\n').append(value(line, 5));
            } else if (line.startsWith(": subscribed after ")) {
                position = Position.of(line.substring(": subscribed after ".length())); // from=end, resolved
            } else if (line.equals(": caught up")) {
                live = true;
                listener.onProgress(position, true);
            }
        }
        return any;
    }

    private static String value(String line, int from) {
        return line.startsWith(" ", from) ? line.substring(from + 1) : line.substring(from);
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) return;
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do: the stream is being dropped
        }
    }

    @Override
    public Position position() {
        return position;
    }

    @Override
    public boolean isLive() {
        return live && !ended;
    }

    @Override
    public long delivered() {
        return delivered;
    }

    @Override
    public Duration lag() {
        Instant captured = lastCaptured;
        if (live || captured == null) return Duration.ZERO;
        Duration behind = Duration.between(captured, clock.instant());
        return behind.isNegative() ? Duration.ZERO : behind;
    }

    @Override
    public boolean isClosed() {
        return ended;
    }

    @Override
    public void close() {
        closing = true;
        if (Thread.currentThread() == thread) return;
        closeQuietly(body); // unblocks a read
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
