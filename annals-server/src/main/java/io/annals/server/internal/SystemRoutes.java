package io.annals.server.internal;

import io.annals.core.api.EventStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;

/** {@code GET /health}, {@code GET /metrics} and {@code GET /api/openapi.json}. */
public final class SystemRoutes {
    /** An id no event has: reading it is the cheapest round trip to the engine that every engine supports. */
    private static final String PROBE_ID = "annals-health-probe";

    private final EventStore store;
    private final Metrics metrics;
    private final Settings.Auth auth;
    private final BooleanSupplier stopping;
    private final byte[] openApi;

    public SystemRoutes(EventStore store, Metrics metrics, Settings.Auth auth, BooleanSupplier stopping) {
        this.store = store;
        this.metrics = metrics;
        this.auth = auth;
        this.stopping = stopping;
        this.openApi = resource("/openapi.json");
    }

    public void register(Javalin app) {
        app.get("/health", this::health);
        app.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        RouteRole[] metricsRoles = auth.metricsScope() == null ? new RouteRole[0] : new RouteRole[] {auth.metricsScope()};
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()),
                metricsRoles);
    }

    private void health(Context ctx) {
        String problem = null;
        if (stopping.getAsBoolean()) {
            problem = "the server is shutting down";
        } else {
            try {
                store.get(PROBE_ID);
            } catch (RuntimeException e) {
                problem = "the store does not answer: " + e.getMessage();
            }
        }
        ctx.contentType("application/json").header("Cache-Control", "no-store");
        if (problem == null) {
            ctx.result("{\"status\":\"UP\"}");
        } else {
            String detail = problem;
            ctx.status(503).header("Retry-After", "5");
            ctx.result(JsonOut.bytes(g -> {
                g.writeStartObject();
                g.writeStringField("status", "DOWN");
                g.writeStringField("detail", detail);
                g.writeEndObject();
            }));
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = SystemRoutes.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the server's class path");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
