package io.annals.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.codec.Json;
import io.annals.core.spi.Backups;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/admin/backup}: a consistent copy of the store, written while the server keeps serving. Backups
 * run one at a time on their own thread (a later request waits for the one before), so they hold no request thread.
 */
public final class AdminRoutes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

    private final Backups backups;
    private final long maxBodyBytes;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "annals-backup");
        t.setDaemon(true);
        return t;
    });

    /** {@code backups} is null when the store cannot take backups (then the endpoint answers 501). */
    public AdminRoutes(Backups backups, Settings.Http http) {
        this.backups = backups;
        this.maxBodyBytes = http.maxBodyBytes();
    }

    public void register(Javalin app) {
        app.post("/api/admin/backup", this::backup, Scope.ADMIN);
    }

    private void backup(Context ctx) {
        Params.of(ctx, List.of());
        if (!EventRoutes.JSON.equals(Bodies.mediaType(ctx))) {
            throw new Problem(415, "unsupported-media-type", "Unsupported media type",
                    "send the backup request as application/json: {\"target\": \"/absolute/new/directory\"}");
        }
        Path target = target(Json.parse(Json.mapper(), Bodies.read(ctx, maxBodyBytes)));
        if (backups == null) {
            throw new Problem(501, "not-implemented", "Not implemented",
                    "this store's engine cannot take backups while serving");
        }
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            if (Files.exists(target)) throw Problem.invalid("target " + target + " exists already; name a new directory");
            LOG.info("backup to {} started", target);
            backups.backupTo(target);
            LOG.info("backup to {} finished", target);
        }, executor).handle((ok, failure) -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                LOG.error("backup to {} failed", target, cause);
                Problem p = cause instanceof IllegalArgumentException || cause instanceof IllegalStateException
                        ? Problem.invalid("the backup to " + target + " failed: " + cause.getMessage())
                        : ProblemWriter.toProblem(cause, ctx);
                ProblemWriter.write(ctx, p);
                return null;
            }
            ctx.status(201).contentType(EventRoutes.JSON).result(JsonOut.bytes(g -> {
                g.writeStartObject();
                g.writeStringField("target", target.toString());
                g.writeEndObject();
            }));
            return null;
        });
        ctx.future(() -> done);
    }

    private static Path target(JsonNode body) {
        if (body.isMissingNode()) throw Problem.invalid("the body is empty; send {\"target\": \"/absolute/new/directory\"}");
        if (!body.isObject()) throw Problem.invalid("the body must be {\"target\": \"/absolute/new/directory\"}");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("target")) throw Problem.invalid("unknown field '" + f + "'; the body has only 'target'");
        }
        JsonNode t = body.get("target");
        if (t == null || !t.isTextual() || t.asText().isEmpty())
            throw Problem.invalid("target is required: the absolute path of a directory that does not exist yet");
        Path target;
        try {
            target = Path.of(t.asText());
        } catch (InvalidPathException e) {
            throw Problem.invalid("target is not a usable path: " + e.getMessage());
        }
        if (!target.isAbsolute())
            throw Problem.invalid("target must be an absolute path (the server's working directory is not yours), not '"
                    + t.asText() + "'");
        return target.normalize();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, TimeUnit.MINUTES)) LOG.warn("a backup is still running at shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
