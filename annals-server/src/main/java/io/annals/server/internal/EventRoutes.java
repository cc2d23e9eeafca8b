package io.annals.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Cursor;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.EventStore;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.TimeRange;
import io.annals.core.api.codec.AppendBody;
import io.annals.core.api.codec.EventJson;
import io.annals.core.api.codec.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/** The event endpoints of docs/http-api.md: append, get by id, query, aggregate history, global log. */
public final class EventRoutes {
    static final String JSON = "application/json";
    static final String CLOUDEVENT = "application/cloudevents+json";
    static final String CLOUDEVENTS_BATCH = "application/cloudevents-batch+json";
    private static final List<String> QUERY_PARAMS =
            List.of("type", "tag", "start", "end", "startOffset", "limit", "order", "continueFrom");
    private static final List<String> AGGREGATE_PARAMS = List.of("start", "end", "order", "limit", "continueFrom");

    private final EventStore store;
    private final Metrics metrics;
    private final long maxBodyBytes;
    private final ObjectMapper mapper;

    public EventRoutes(EventStore store, Metrics metrics, Settings.Http http) {
        this.store = store;
        this.metrics = metrics;
        this.maxBodyBytes = http.maxBodyBytes();
        this.mapper = Json.mapper(http.maxJsonDepth());
    }

    /**
     * Where append answers are written: Jetty's request threads. The engine completes appends on its own thread
     * (one for all appends, in the RocksDB engine); rendering and writing every answer there would send them one at a
     * time.
     */
    private volatile Executor answers;

    public void register(Javalin app) {
        app.events(e -> e.serverStarted(() -> answers = app.jettyServer().server().getThreadPool()));
        app.post("/api/events", this::append, Scope.WRITE);
        app.get("/api/events", this::query, Scope.READ);
        app.get("/api/events/{id}", this::get, Scope.READ);
        app.get("/api/aggregates/{type}/{id}/events", this::aggregate, Scope.READ);
        app.get("/api/log", this::log, Scope.READ);
    }

    // ---- POST /api/events

    private void append(Context ctx) {
        AppendRequest request;
        try {
            request = appendRequest(ctx);
        } catch (RuntimeException e) {
            metrics.append(e instanceof Problem p && (p.status() == 413 || p.status() == 415) ? "refused" : "invalid");
            throw e;
        }
        boolean[] hasAggregate = new boolean[request.events().size()];
        for (int i = 0; i < hasAggregate.length; i++) hasAggregate[i] = request.events().get(i).aggregate() != null;
        Executor answerOn = answers;
        CompletableFuture<AppendResult> appended = store.appendAsync(request).toCompletableFuture();
        BiFunction<AppendResult, Throwable, Void> answer = (result, failure) -> {
            if (failure instanceof CompletionException && failure.getCause() != null)
                failure = failure.getCause();
            if (failure != null) {
                Problem p = ProblemWriter.toProblem(failure, ctx);
                metrics.append(outcome(p));
                ProblemWriter.write(ctx, p);
                return null;
            }
            metrics.appended(result);
            if (result.events().size() == 1)
                ctx.header("Location", "/api/events/" + Urls.pathSegment(result.events().get(0).id()));
            // ctx.result, not a write to the response stream: this may run on another thread than the request's, and
            // before or while Javalin turns the request asynchronous; writing the stream then lost answers (seen on
            // JDK 25). Javalin writes the result once the future is done.
            ctx.status(result.allDuplicates() ? 200 : 201).contentType(JSON).result(JsonOut.appended(result, hasAggregate));
            return null;
        };
        // Already done (an engine that appends inline, or a failure found at once): answer on this request thread.
        CompletableFuture<Void> done = answerOn == null || appended.isDone()
                ? appended.handle(answer) : appended.handleAsync(answer, answerOn);
        ctx.future(() -> done);
    }

    private static String outcome(Problem p) {
        return switch (p.slug()) {
            case "wrong-expected-version" -> "wrong_expected_version";
            case "duplicate-id-conflict" -> "duplicate_id_conflict";
            case "invalid-request" -> "invalid";
            case "unavailable" -> "unavailable";
            default -> "error";
        };
    }

    private AppendRequest appendRequest(Context ctx) {
        Params params = Params.of(ctx, List.of("expectedVersion"));
        String type = Bodies.mediaType(ctx);
        boolean cloudEvent = CLOUDEVENT.equals(type);
        boolean cloudBatch = CLOUDEVENTS_BATCH.equals(type);
        if (!JSON.equals(type) && !cloudEvent && !cloudBatch) {
            throw new Problem(415, "unsupported-media-type", "Unsupported media type",
                    (type == null ? "the request has no Content-Type" : "Content-Type " + type + " is not accepted")
                            + "; send " + JSON + " (annals events), " + CLOUDEVENT + " (one CloudEvent) or "
                            + CLOUDEVENTS_BATCH + " (an array of CloudEvents)")
                    .header("Accept-Post", JSON + ", " + CLOUDEVENT + ", " + CLOUDEVENTS_BATCH);
        }
        Bodies.requireUtf8(ctx);
        JsonNode body = Json.parse(mapper, Bodies.read(ctx, maxBodyBytes));
        if (cloudEvent && body.isArray())
            throw Problem.invalid("a JSON array is a batch: send it as " + CLOUDEVENTS_BATCH);
        if (cloudBatch && !body.isArray())
            throw Problem.invalid(CLOUDEVENTS_BATCH + " must be a JSON array of CloudEvents");
        AppendRequest request = AppendBody.read(body, cloudEvent || cloudBatch);
        String expected = params.text("expectedVersion");
        if (expected != null) {
            if (body.isObject() && body.has("expectedVersion"))
                throw Problem.invalid("expectedVersion is given both in the query and in the body; give it once");
            try {
                request = request.expecting(ExpectedVersion.parse(expected));
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("expectedVersion must be any, noStream or a stream version number (0 or more), not '"
                        + expected + "'").with("parameter", "expectedVersion");
            }
        }
        return request;
    }

    // ---- GET /api/events/{id}

    private void get(Context ctx) {
        Params.of(ctx, List.of());
        String id = ctx.pathParam("id");
        Event event = store.get(id).orElseThrow(() -> Problem.notFound("no event with id '" + id + "' is stored")
                .with("eventId", id));
        JsonOut.send(ctx, EventJson.toBytes(event));
    }

    // ---- GET /api/events

    private void query(Context ctx) {
        Params p = Params.of(ctx, QUERY_PARAMS);
        String continueFrom = p.text("continueFrom");
        if (continueFrom != null && p.has("startOffset"))
            throw Problem.invalid("startOffset applies to the first page only; leave it out when you pass continueFrom");
        Query q;
        try {
            q = new Query(p.text("type"), p.text("tag"), range(p), p.order(),
                    p.integer("limit", Query.DEFAULT_LIMIT, 1, Query.MAX_LIMIT),
                    p.integer("startOffset", 0, 0, Query.MAX_START_OFFSET), cursor(continueFrom));
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        }
        EventPage page = store.query(q);
        String next = page.next() == null ? null : continuation(p, "/api/events", List.of("type", "tag", "start", "end",
                "limit", "order"), page.next());
        JsonOut.send(ctx, JsonOut.page(page.events(), g -> {
            if (next != null) g.writeStringField("continuation", next);
        }));
    }

    private static TimeRange range(Params p) {
        Instant start = p.time("start");
        Instant end = p.time("end");
        if (start != null && end != null && end.isBefore(start))
            throw Problem.invalid("end (" + p.text("end") + ") must not be before start (" + p.text("start") + ")");
        return new TimeRange(start, end);
    }

    private static Cursor cursor(String token) {
        if (token == null) return null;
        try {
            return Cursor.decode(token);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage() + "; follow the continuation link of a previous page as it is")
                    .with("parameter", "continueFrom");
        }
    }

    /** The link to the next page: the original parameters (minus startOffset) and the cursor. */
    private static String continuation(Params p, String path, List<String> keep, Cursor next) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : keep) if (p.has(name)) params.put(name, p.text(name));
        params.put("continueFrom", next.encode());
        return path + "?" + Urls.query(params);
    }

    // ---- GET /api/aggregates/{type}/{id}/events

    private void aggregate(Context ctx) {
        Params p = Params.of(ctx, AGGREGATE_PARAMS);
        AggregateId aggregate;
        try {
            aggregate = AggregateId.of(ctx.pathParam("type"), ctx.pathParam("id"));
        } catch (InvalidEventException e) {
            throw Problem.invalid(e.getMessage());
        }
        AggregateQuery q;
        try {
            q = new AggregateQuery(aggregate, range(p), p.order(), p.integer("limit", 1000, 1, AggregateQuery.MAX_LIMIT),
                    cursor(p.text("continueFrom")));
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        }
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null) {
            long version = store.streamVersion(aggregate);
            if (Urls.etagMatches(ifNoneMatch, etag(version))) {
                ctx.header("ETag", etag(version)).status(304);
                return;
            }
        }
        AggregatePage page = store.readAggregate(q);
        String path = "/api/aggregates/" + Urls.pathSegment(aggregate.type()) + "/" + Urls.pathSegment(aggregate.id()) + "/events";
        String next = page.next() == null ? null : continuation(p, path, List.of("start", "end", "limit", "order"), page.next());
        ctx.header("ETag", etag(page.streamVersion()));
        JsonOut.send(ctx, JsonOut.page(page.events(), g -> {
            g.writeNumberField("streamVersion", page.streamVersion());
            if (next != null) g.writeStringField("continuation", next);
        }));
    }

    private static String etag(long version) {
        return "\"" + version + "\"";
    }

    // ---- GET /api/log

    private void log(Context ctx) {
        Params p = Params.of(ctx, List.of("from", "limit"));
        String from = p.text("from");
        int limit = p.integer("limit", Query.DEFAULT_LIMIT, 1, Query.MAX_LIMIT);
        LogPage page;
        try {
            page = store.readLog(from == null ? Position.start() : Position.of(from), limit);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("from: " + e.getMessage() + "; pass 'start' or a position the log returned")
                    .with("parameter", "from");
        }
        JsonOut.send(ctx, JsonOut.page(page.events(), g -> g.writeStringField("next", page.next().value())));
    }
}
