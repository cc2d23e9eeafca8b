package io.annals.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.core.api.Position;
import io.annals.core.api.codec.Json;
import io.annals.server.subscriptions.DurableConsumer;
import io.annals.server.subscriptions.DurableSubscriptions;
import io.annals.server.subscriptions.SubscriptionException;
import io.annals.server.subscriptions.SubscriptionSpec;
import io.annals.server.subscriptions.SubscriptionStatus;
import io.javalin.Javalin;
import io.javalin.http.Context;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The durable subscriptions over HTTP (docs/subscriptions.md, "Durable subscriptions"): {@code PUT}, {@code GET} and
 * {@code DELETE /api/subscriptions/{name}}, the list, a consumer's event stream (SSE) and its acknowledgements.
 * Every refusal is a problem: 400 for bad input, 404 for an unknown subscription, 409 for an acknowledgement that
 * does not fit (the consumer left, the partition moved, the position is not pending) or a spec that differs.
 */
public final class DurableRoutes implements AutoCloseable {
    private final DurableSubscriptions subscriptions;
    private final ObjectMapper mapper;
    private final long maxBodyBytes;
    private final Set<DurableSse> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "annals-durable-sse-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService leaving = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "annals-durable-sse-leave");
        t.setDaemon(true);
        return t;
    });

    public DurableRoutes(DurableSubscriptions subscriptions, Settings.Http http) {
        this.subscriptions = subscriptions;
        this.mapper = Json.mapper(http.maxJsonDepth());
        this.maxBodyBytes = http.maxBodyBytes();
        long every = Math.max(100, http.idleTimeout().toMillis() / 2);
        heartbeats.scheduleWithFixedDelay(() -> streams.forEach(DurableSse::heartbeat), every, every, TimeUnit.MILLISECONDS);
    }

    /** With {@code subscriptions} null (the store keeps no checkpoints) every route answers 501. */
    public void register(Javalin app) {
        if (subscriptions == null) {
            io.javalin.http.Handler none = ctx -> {
                throw new Problem(501, "not-implemented", "Not implemented", "durable subscriptions need a store that keeps"
                        + " checkpoints, and this store's engine keeps none");
            };
            app.get("/api/subscriptions", none, Scope.READ);
            app.put("/api/subscriptions/{name}", none, Scope.WRITE);
            app.get("/api/subscriptions/{name}", none, Scope.READ);
            app.delete("/api/subscriptions/{name}", none, Scope.WRITE);
            app.get("/api/subscriptions/{name}/events", none, Scope.READ);
            app.post("/api/subscriptions/{name}/ack", none, Scope.READ);
            return;
        }
        app.get("/api/subscriptions", this::list, Scope.READ);
        app.put("/api/subscriptions/{name}", this::put, Scope.WRITE);
        app.get("/api/subscriptions/{name}", this::status, Scope.READ);
        app.delete("/api/subscriptions/{name}", this::delete, Scope.WRITE);
        app.get("/api/subscriptions/{name}/events", this::events, Scope.READ);
        app.post("/api/subscriptions/{name}/ack", this::ack, Scope.READ);
    }

    private void list(Context ctx) {
        Params.of(ctx, List.of());
        List<String> names = subscriptions.names();
        JsonOut.send(ctx, JsonOut.bytes(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("subscriptions");
            for (String n : names) g.writeString(n);
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private void put(Context ctx) {
        Params.of(ctx, List.of());
        String name = ctx.pathParam("name");
        JsonNode body = body(ctx);
        boolean created = call(() -> subscriptions.create(name, SubscriptionSpec.fromJson(body)));
        if (created) ctx.status(201).header("Location", "/api/subscriptions/" + name);
        JsonOut.send(ctx, statusJson(call(() -> subscriptions.status(name))));
    }

    private JsonNode body(Context ctx) {
        String type = Bodies.mediaType(ctx);
        if (!EventRoutes.JSON.equals(type))
            throw new Problem(415, "unsupported-media-type", "Unsupported media type",
                    (type == null ? "the request has no Content-Type" : "Content-Type " + type + " is not accepted")
                            + "; send " + EventRoutes.JSON);
        Bodies.requireUtf8(ctx);
        byte[] bytes = Bodies.read(ctx, maxBodyBytes);
        return bytes.length == 0 ? mapper.createObjectNode() : Json.parse(mapper, bytes);
    }

    private void status(Context ctx) {
        Params.of(ctx, List.of());
        String name = ctx.pathParam("name");
        JsonOut.send(ctx, statusJson(call(() -> subscriptions.status(name))));
    }

    private void delete(Context ctx) {
        Params.of(ctx, List.of());
        String name = ctx.pathParam("name");
        if (!call(() -> subscriptions.delete(name)))
            throw Problem.notFound("no subscription named '" + name + "'").with("subscription", name);
        ctx.status(204);
    }

    private void ack(Context ctx) {
        Params.of(ctx, List.of());
        String name = ctx.pathParam("name");
        JsonNode body = body(ctx);
        JsonNode consumerId = body.get("consumer");
        JsonNode acks = body.get("acks");
        if (consumerId == null || !consumerId.isTextual() || acks == null || !acks.isArray() || acks.isEmpty())
            throw Problem.invalid("the body must be {\"consumer\":\"<id>\",\"acks\":[{\"partition\":0,\"position\":\"<position>\"}]}"
                    + " with at least one acknowledgement");
        for (JsonNode a : acks) {
            JsonNode p = a.get("partition");
            JsonNode pos = a.get("position");
            if (p == null || !p.canConvertToInt() || !p.isIntegralNumber() || pos == null || !pos.isTextual() || pos.asText().isEmpty())
                throw Problem.invalid("each acknowledgement is {\"partition\":<number>,\"position\":\"<a position delivered on it>\"}, not " + a);
        }
        DurableConsumer consumer = call(() -> subscriptions.consumer(name, consumerId.asText())).orElseThrow(() ->
                new Problem(409, "not-a-member", "Not a member", "consumer '" + consumerId.asText() + "' is not connected to"
                        + " subscription '" + name + "'; connect with GET /api/subscriptions/" + name + "/events?consumer="
                        + consumerId.asText() + " (its unacknowledged events are delivered again)").with("subscription", name));
        for (JsonNode a : acks) {
            call(() -> {
                consumer.ack(a.get("partition").asInt(), Position.of(a.get("position").asText()));
                return null;
            });
        }
        ctx.status(204);
    }

    private void events(Context ctx) throws IOException {
        Params params = Params.of(ctx, List.of("consumer"));
        String name = ctx.pathParam("name");
        String consumerId = params.text("consumer");
        if (consumerId == null)
            throw Problem.invalid("consumer is required: a stable id of 1 to 100 letters, digits, '.', '_' or '-' for this"
                    + " consumer (connecting again with it resumes its membership)").with("parameter", "consumer");
        call(() -> subscriptions.consumer(name, consumerId)); // an unknown subscription or a bad id: a problem, not a stream
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Accel-Buffering", "no");
        AsyncContext async = ctx.req().startAsync();
        async.setTimeout(0);
        OutputStream out = ctx.res().getOutputStream();
        out.write(("retry: 2000\n: consumer " + consumerId + " of subscription " + name + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        DurableSse stream = new DurableSse(out, consumerId);
        streams.add(stream);
        ctx.future(() -> stream.done);
        DurableConsumer consumer;
        try {
            consumer = subscriptions.join(name, consumerId, stream);
        } catch (RuntimeException e) {
            stream.onClosed(e.getMessage()); // deleted meanwhile, or the server is stopping
            streams.remove(stream);
            return;
        }
        async.addListener(new Ender(stream));
        // on another thread: the stream may end on a partition's reader, which the consumer's leaving waits for
        stream.done.whenCompleteAsync((v, e) -> {
            streams.remove(stream);
            consumer.close();
        }, leaving);
    }

    private static String describe(SubscriptionException e) {
        return e.getMessage();
    }

    private interface Call<T> {
        T run();
    }

    /** Runs a call of the Java API, turning its refusals into problems. */
    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (SubscriptionException e) {
            throw switch (e.reason()) {
                case NOT_FOUND -> Problem.notFound(describe(e));
                case EXISTS -> new Problem(409, "subscription-exists", "Subscription exists", describe(e));
                case NOT_A_MEMBER -> new Problem(409, "not-a-member", "Not a member", describe(e));
                case NOT_ASSIGNED -> new Problem(409, "partition-not-assigned", "Partition not assigned", describe(e));
                case NOT_PENDING -> new Problem(409, "ack-not-pending", "Acknowledgement not pending", describe(e));
            };
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        } catch (IllegalStateException e) {
            throw Problem.unavailable(e.getMessage());
        }
    }

    private static byte[] statusJson(SubscriptionStatus s) {
        return JsonOut.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeFieldName("spec");
            g.writeTree(s.spec().toJson());
            g.writeNumberField("lagSeconds", seconds(s.lag()));
            g.writeNumberField("pending", s.pending());
            g.writeArrayFieldStart("partitions");
            for (SubscriptionStatus.PartitionStatus p : s.partitions()) {
                g.writeStartObject();
                g.writeNumberField("partition", p.partition());
                g.writeStringField("checkpoint", p.checkpoint().value());
                if (p.consumer() != null) g.writeStringField("consumer", p.consumer());
                g.writeNumberField("pending", p.pending());
                g.writeNumberField("lagSeconds", seconds(p.lag()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("consumers");
            for (SubscriptionStatus.ConsumerStatus c : s.consumers()) {
                g.writeStartObject();
                g.writeStringField("consumer", c.consumer());
                writeInts(g, "partitions", c.partitions());
                g.writeNumberField("delivered", c.delivered());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void writeInts(JsonGenerator g, String field, Iterable<Integer> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (int v : values) g.writeNumber(v);
        g.writeEndArray();
    }

    private static double seconds(java.time.Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** Ends the stream when the client goes away or the request fails. */
    private record Ender(DurableSse stream) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            stream.done.complete(null);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            stream.done.complete(null);
        }

        @Override
        public void onError(AsyncEvent event) {
            stream.done.complete(null);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }

    /** Stops the heartbeats; the streams end when {@link DurableSubscriptions#close()} ends their consumers. */
    @Override
    public void close() {
        heartbeats.shutdownNow();
        for (DurableSse s : new ArrayList<>(streams)) s.done.complete(null);
        leaving.shutdown();
    }
}
