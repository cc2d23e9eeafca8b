package io.annals.server.internal;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Creates the Javalin application: Jetty settings, error handling as problems, auth and request metrics. */
public final class HttpSetup {
    private HttpSetup() {}

    public static Javalin create(Settings settings, Metrics metrics, Auth auth) {
        Settings.Http http = settings.http();
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = http.maxBodyBytes();
            cfg.http.prefer405over404 = true;
            cfg.http.generateEtags = false;
            QueuedThreadPool pool = new QueuedThreadPool(http.maxThreads(), Math.min(8, http.maxThreads()), 60_000);
            pool.setName("annals-http");
            cfg.jetty.threadPool = pool;
            cfg.jetty.addConnector((server, httpConfig) -> Connectors.create(server, httpConfig, settings));
            cfg.jetty.modifyHttpConfiguration(h -> h.setSendServerVersion(false));
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(http.shutdownTimeout().toMillis());
                server.setErrorHandler(new JettyProblems());
            });
            cfg.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JettyProblems()));
            cfg.requestLogger.http((ctx, millis) -> metrics.request(ctx.method().name(), route(ctx), ctx.statusCode(), millis));
        });
        app.beforeMatched(ctx -> auth.require(ctx, ctx.routeRoles()));
        app.exception(Exception.class, (e, ctx) -> ProblemWriter.write(ctx, ProblemWriter.toProblem(e, ctx)));
        // Javalin answers unmatched routes and methods itself, in plain text; turn those answers into problems.
        app.error(404, ctx -> {
            if (!isProblem(ctx)) ProblemWriter.write(ctx, ProblemWriter.toProblem(new NotFoundResponse(), ctx));
        });
        app.error(405, ctx -> {
            if (isProblem(ctx)) return;
            ctx.header("Allow", allowed(app, ctx.path()));
            ProblemWriter.write(ctx, ProblemWriter.toProblem(new MethodNotAllowedResponse(), ctx));
        });
        return app;
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(ProblemWriter.CONTENT_TYPE);
    }

    private static String allowed(Javalin app, String path) {
        List<String> methods = new ArrayList<>();
        for (HandlerType t : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
            if (app.unsafeConfig().pvt.internalRouter.findHttpHandlerEntries(t, path).findAny().isPresent()) methods.add(t.name());
        }
        return String.join(", ", methods);
    }

    /** The matched route template, so that metrics never carry raw paths (ids) as labels. */
    private static String route(Context ctx) {
        try {
            String path = ctx.endpointHandlerPath();
            return path == null || path.isEmpty() || path.equals("*") ? "unmatched" : path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }
}
