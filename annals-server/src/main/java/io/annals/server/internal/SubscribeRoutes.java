package io.annals.server.internal;

import io.annals.core.api.EventStore;
import io.annals.core.api.LogFilter;
import io.annals.core.api.Position;
import io.annals.core.api.Subscription;
import io.javalin.Javalin;
import io.javalin.http.Context;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/subscribe}: the global log as Server-Sent Events (docs/subscriptions.md). Parameters are checked
 * and the subscription opened before anything is sent, so a bad one is a 400 problem; then the response turns
 * asynchronous and the subscription's own thread writes it ({@link SseStream}). Every open stream gets a heartbeat
 * comment each half idle timeout, so that neither Jetty nor a proxy with the same timeout closes a quiet stream.
 */
public final class SubscribeRoutes implements AutoCloseable {
    private static final List<String> PARAMS = List.of("from", "type", "tag", "aggregateType");

    private final EventStore store;
    private final Metrics metrics;
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "annals-sse-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final int maxStreams;
    /** One permit per stream that may still open ({@code annals.subscriptions.max-streams}). */
    private final java.util.concurrent.Semaphore slots;
    private volatile boolean closed;

    public SubscribeRoutes(EventStore store, Metrics metrics, Settings.Http http, Settings.Subscriptions subscriptions) {
        this.store = store;
        this.metrics = metrics;
        this.maxStreams = subscriptions.maxStreams();
        this.slots = new java.util.concurrent.Semaphore(maxStreams);
        long every = Math.max(100, http.idleTimeout().toMillis() / 2);
        heartbeats.scheduleWithFixedDelay(() -> streams.forEach(SseStream::heartbeat), every, every, TimeUnit.MILLISECONDS);
        // a stream is listed a moment before its subscription is handed to it
        metrics.subscriptions(() -> streams.stream().map(SseStream::subscription).filter(Objects::nonNull).toList());
    }

    public void register(Javalin app) {
        app.get("/api/subscribe", this::subscribe, Scope.READ);
    }

    private void subscribe(Context ctx) throws IOException {
        Map<String, List<String>> params = ctx.queryParamMap();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (!PARAMS.contains(e.getKey()))
                throw Problem.invalid("unknown query parameter '" + e.getKey() + "'; GET /api/subscribe takes "
                        + String.join(", ", PARAMS)).with("parameter", e.getKey());
            for (String v : e.getValue())
                if (v.isEmpty()) throw Problem.invalid("query parameter '" + e.getKey() + "' is empty; give it a value or"
                        + " leave it out").with("parameter", e.getKey());
        }
        List<String> from = params.getOrDefault("from", List.of());
        if (from.size() > 1) throw Problem.invalid("query parameter 'from' is given " + from.size() + " times; give it once")
                .with("parameter", "from");
        String lastEventId = ctx.header("Last-Event-ID");
        boolean resuming = lastEventId != null && !lastEventId.isEmpty();
        Position start = position(resuming ? lastEventId : from.isEmpty() ? "start" : from.get(0));
        LogFilter filter = LogFilter.all().types(values(params, "type")).tags(values(params, "tag"))
                .aggregateTypes(values(params, "aggregateType"));
        if (closed) throw new Problem(503, "unavailable", "Service unavailable", "the server is shutting down; reconnect"
                + " to another or later").header("Retry-After", "5");

        if (!slots.tryAcquire()) throw new Problem(503, "unavailable", "Service unavailable", "this server has " + maxStreams
                + " subscription streams open, its limit (annals.subscriptions.max-streams); retry later or subscribe"
                + " through another server").header("Retry-After", "5");
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable giveBack = () -> {
            if (held.compareAndSet(true, false)) slots.release();
        };
        try {
            open(ctx, start, filter, resuming, giveBack);
        } catch (IOException | RuntimeException e) {
            giveBack.run();
            throw e;
        }
    }

    /** Opens the subscription and hands the response to its stream, which runs {@code giveBack} when it ends. */
    private void open(Context ctx, Position start, LogFilter filter, boolean resuming, Runnable giveBack) throws IOException {
        SseStream stream = new SseStream(metrics);
        Subscription subscription;
        try {
            subscription = store.subscribe(start, filter, stream);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid((resuming ? "Last-Event-ID: " : "from: ") + e.getMessage()
                    + "; pass start, end or a position the log returned").with(resuming ? "header" : "parameter",
                    resuming ? "Last-Event-ID" : "from");
        }
        try {
            ctx.status(200);
            ctx.res().setContentType("text/event-stream;charset=utf-8");
            ctx.header("Cache-Control", "no-store");
            ctx.header("X-Accel-Buffering", "no"); // nginx would otherwise buffer the stream
            AsyncContext async = ctx.req().startAsync();
            async.setTimeout(0);
            async.addListener(new Ender(subscription));
            OutputStream out = ctx.res().getOutputStream();
            // the position resolved (from=end), so that a client that sees no event yet can still resume from here
            out.write(("retry: 2000\n: subscribed after " + subscription.position().value().replaceAll("[\\r\\n]", " ")
                    + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            streams.add(stream);
            stream.done.whenComplete((v, e) -> {
                streams.remove(stream);
                giveBack.run();
            });
            ctx.future(() -> stream.done);
            stream.start(subscription, out);
        } catch (IOException | RuntimeException e) {
            subscription.close();
            throw e;
        }
        if (closed) subscription.close(); // raced with close()
    }

    private static List<String> values(Map<String, List<String>> params, String name) {
        return params.getOrDefault(name, List.of());
    }

    private static Position position(String text) {
        return switch (text) {
            case "start" -> Position.start();
            case "end" -> Position.end();
            default -> Position.of(text);
        };
    }

    /** Ends the subscription when the client goes away or the request fails. */
    private record Ender(Subscription subscription) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            subscription.close();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            subscription.close();
        }

        @Override
        public void onError(AsyncEvent event) {
            subscription.close();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }

    /** Ends every open stream (their responses end cleanly) and refuses new ones; called before the server stops. */
    @Override
    public void close() {
        closed = true;
        heartbeats.shutdownNow();
        for (SseStream s : new ArrayList<>(streams)) {
            Subscription sub = s.subscription();
            if (sub != null) sub.close();
        }
    }
}
