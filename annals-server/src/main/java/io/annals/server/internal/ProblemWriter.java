package io.annals.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.core.api.AnnalsException;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.WrongExpectedVersionException;
import io.annals.core.api.codec.Json;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns whatever a handler threw into an RFC 9457 {@code application/problem+json} response. */
public final class ProblemWriter {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(ProblemWriter.class);
    private static final ObjectMapper MAPPER = Json.mapper();

    private ProblemWriter() {}

    /** The problem that describes {@code t}; unexpected failures are logged and become a 500. */
    public static Problem toProblem(Throwable t, Context ctx) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        if (t instanceof Problem p) return p;
        if (t instanceof WrongExpectedVersionException w) {
            return new Problem(409, "wrong-expected-version", "Wrong expected version", w.getMessage())
                    .with("stream", Map.of("type", w.stream().type(), "id", w.stream().id()))
                    .with("expectedVersion", w.expected().text())
                    .with("actualVersion", w.actual());
        }
        if (t instanceof DuplicateIdConflictException d) {
            return new Problem(409, "duplicate-id-conflict", "Duplicate id with different content", d.getMessage())
                    .with("eventId", d.eventId());
        }
        if (t instanceof InvalidEventException) return Problem.invalid(t.getMessage());
        if (t instanceof StoreUnavailableException) {
            LOG.warn("store unavailable on {} {}: {}", ctx.method(), ctx.path(), t.getMessage());
            return Problem.unavailable("the store is unavailable (" + t.getMessage() + "); retry later");
        }
        if (t instanceof AnnalsException a && a.isTransient()) {
            LOG.warn("transient failure on {} {}", ctx.method(), ctx.path(), t);
            return Problem.unavailable(t.getMessage() + "; retry later");
        }
        if (t instanceof MethodNotAllowedResponse) {
            return new Problem(405, "method-not-allowed", "Method not allowed",
                    ctx.method() + " is not allowed on " + ctx.path() + "; /api/openapi.json lists what each path accepts");
        }
        if (t instanceof NotFoundResponse) {
            return Problem.notFound("no route for " + ctx.method() + " " + ctx.path()
                    + "; /api/openapi.json describes the API");
        }
        if (t instanceof HttpResponseException h) {
            return new Problem(h.getStatus(), "http-" + h.getStatus(), "HTTP " + h.getStatus(), h.getMessage());
        }
        LOG.error("request {} {} failed", ctx.method(), ctx.path(), t);
        return Problem.internal();
    }

    /** Writes {@code p} as the response. */
    public static void write(Context ctx, Problem p) {
        ctx.status(p.status());
        p.headers().forEach(ctx::header);
        ctx.contentType(CONTENT_TYPE);
        ctx.result(toBytes(p, ctx.path()));
    }

    public static byte[] toBytes(Problem p, String instance) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", p.type());
        n.put("title", p.title());
        n.put("status", p.status());
        n.put("detail", p.detail());
        if (instance != null) n.put("instance", instance);
        p.extensions().forEach((k, v) -> n.set(k, MAPPER.valueToTree(v)));
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
