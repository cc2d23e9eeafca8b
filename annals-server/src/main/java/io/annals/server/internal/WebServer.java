package io.annals.server.internal;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Javalin application on Jetty: connector and thread pool from the settings, errors as problems, auth before
 * every matched route, request metrics, and the routes. {@link #start()} binds the port.
 */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final Javalin app;

    /** Builds the application with the given routes; nothing listens until {@link #start()}. */
    public WebServer(Settings settings, Metrics metrics, Auth auth, EventRoutes events, SubscribeRoutes subscribe,
                     SystemRoutes system, AdminRoutes admin) {
        app = create(settings, metrics, auth);
        events.register(app);
        subscribe.register(app);
        system.register(app);
        admin.register(app);
    }

    /** Adds routes (before {@link #start()}). */
    public void register(java.util.function.Consumer<Javalin> routes) {
        routes.accept(app);
    }

    /** Starts listening; on failure (port taken, bad key store) everything started is stopped again. */
    public void start() {
        try {
            app.start();
        } catch (RuntimeException e) {
            try {
                app.jettyServer().server().stop();
            } catch (Exception stopFailure) {
                LOG.debug("stopping a server that failed to start", stopFailure);
            }
            throw e;
        }
    }

    /** Stops gracefully: refuses new connections and lets requests in flight finish (up to the shutdown timeout). */
    public void stop() {
        app.stop();
    }

    public int port() {
        return app.port();
    }

    /** Every route, as "METHOD /path/{param}". */
    public List<String> routes() {
        return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(e -> e.getEndpoint().getMethod().name() + " " + e.getEndpoint().getPath())
                .filter(r -> !r.startsWith("BEFORE") && !r.startsWith("AFTER"))
                .sorted().toList();
    }

    private static Javalin create(Settings settings, Metrics metrics, Auth auth) {
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
                // Javalin would stop a server that failed to start and hide why; AnnalsServer stops it instead.
                server.setAttribute("is-default-server", false);
                server.setErrorHandler(new JettyProblems());
            });
            cfg.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JettyProblems()));
            cfg.requestLogger.http((ctx, millis) -> metrics.request(ctx.method().name(), route(ctx), ctx.statusCode(), millis));
        });
        // Without tokens every request is let through: no before-handler then, which spares Javalin three route
        // look-ups per request.
        if (auth.enabled()) app.beforeMatched(ctx -> auth.require(ctx, ctx.routeRoles()));
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
