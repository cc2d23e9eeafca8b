package io.annals.cli;

import io.annals.client.AnnalsClient;
import io.annals.core.api.Event;
import io.annals.core.api.LogFilter;
import io.annals.core.api.Position;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code annals tail}: the global log through a subscription ({@code GET /api/subscribe}), one JSON event a line.
 * Without {@code --follow} it stops at the head of the log; with it, it goes on until interrupted (or
 * {@code --limit}). The position reached goes to standard error at the end, and to {@code --position-file} after
 * every batch, so that a later run resumes from there.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print the global log in capture order, one JSON object a line; --follow keeps printing new events.",
                "The last position goes to standard error (resume with --from) and to --position-file."})
final class TailCommand implements Callable<Integer> {
    @ParentCommand AnnalsCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--from", paramLabel = "POSITION",
            description = "Start after this position: start, end or a position printed before (default: end with"
                    + " --follow, else start).")
    String from;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type (repeatable: any of them).")
    List<String> types = List.of();

    @Option(names = "--tag", paramLabel = "TAG", description = "Only events with this tag (repeatable: any of them).")
    List<String> tags = List.of();

    @Option(names = "--aggregate-type", paramLabel = "TYPE",
            description = "Only events of an aggregate of this type (repeatable). Every kind of filter given must match.")
    List<String> aggregateTypes = List.of();

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted (Ctrl-C).")
    boolean follow;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N events.")
    Long limit;

    @Option(names = "--position-file", paramLabel = "FILE",
            description = "Resume from the position in FILE if it exists (instead of --from); keep the last position"
                    + " there after every batch.")
    Path positionFile;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "annals", converter = Formats.Output.class,
            description = "annals (default) or cloudevents.")
    EventFormat format;

    @Override
    public Integer call() throws Exception {
        if (limit != null && limit < 1) throw usage("--limit must be at least 1, not " + limit);
        Position start = start();
        LogFilter filter;
        try {
            filter = LogFilter.all().types(types).tags(tags).aggregateTypes(aggregateTypes);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Printer printer = new Printer(out);
        try (AnnalsClient client = root.client()) {
            Subscription s = client.subscribe(start, filter, printer);
            Thread hook = new Thread(() -> finish(s, printer), "annals-tail-stop");
            Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C: stop cleanly and still say where we were
            try {
                printer.done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                finish(s, printer);
                throw e.getCause() instanceof Exception x ? x : e;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // already shutting down: the hook runs finish itself
                }
            }
            finish(s, printer);
        }
        return AnnalsCommand.OK;
    }

    private Position start() {
        if (positionFile != null && Files.exists(positionFile)) {
            try {
                String saved = Files.readString(positionFile, StandardCharsets.UTF_8).strip();
                if (!saved.isEmpty()) return Position.of(saved);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String text = from != null ? from : follow ? "end" : "start";
        return switch (text) {
            case "start" -> Position.start();
            case "end" -> Position.end();
            default -> Position.of(text);
        };
    }

    /** Stops the subscription, then reports (and keeps) the position of the last event printed or passed over. */
    private synchronized void finish(Subscription s, Printer printer) {
        if (printer.finished) return;
        printer.finished = true;
        s.close();
        printer.out.flush();
        Position last = printer.position != null ? printer.position : s.position();
        save(last);
        PrintWriter err = spec.commandLine().getErr();
        err.println("position: " + last.value() + " (resume with --from " + last.value() + ")");
        err.flush();
    }

    private void save(Position p) {
        if (positionFile == null || p == null) return;
        try {
            Path tmp = positionFile.resolveSibling(positionFile.getFileName() + ".tmp");
            Files.writeString(tmp, p.value() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, positionFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the position in " + positionFile + ": " + e.getMessage(), e);
        }
    }

    /** Prints events on the subscription's thread; {@link #done} completes at the head (no --follow) or the limit. */
    private final class Printer implements SubscriptionListener {
        final PrintWriter out;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Position position;
        long printed;
        boolean finished;

        Printer(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void onEvent(Event event) {
            if (done.isDone()) return;
            out.println(format.write(event));
            position = event.position();
            if (limit != null && ++printed >= limit) {
                out.flush();
                save(position);
                done.complete(null);
            }
        }

        @Override
        public void onProgress(Position p, boolean caughtUp) {
            if (done.isDone()) return;
            out.flush();
            position = p;
            save(p);
            if (caughtUp && !follow) done.complete(null);
        }

        @Override
        public void onClosed(Throwable failure) {
            if (failure != null) done.completeExceptionally(failure);
            else done.complete(null);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
