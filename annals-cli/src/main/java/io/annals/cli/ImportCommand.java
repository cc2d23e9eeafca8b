package io.annals.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.client.AnnalsClient;
import io.annals.client.AnnalsHttpException;
import io.annals.core.api.AnnalsException;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.NewEvent;
import io.annals.core.api.codec.Json;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code annals import FILE}: appends newline-delimited events in batches. Idempotent for events with ids: an
 * event already stored is counted as skipped, never stored twice. A batch the server refuses is retried event by
 * event so that one bad line costs only itself; bad lines are reported with their numbers and make the exit code 1.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Append the events of a newline-delimited JSON file (annals or CloudEvents form).",
                "Events already stored (same id) are skipped, so a re-import stores nothing twice."})
final class ImportCommand implements Callable<Integer> {
    private static final int MAX_REPORTED = 20;

    @ParentCommand AnnalsCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The file to read ('-' for standard input).")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", converter = Formats.Input.class,
            description = "auto (default: CloudEvents when a line has specversion), annals or cloudevents.")
    EventFormat format;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
            description = "Events per request, 1-10000 (default ${DEFAULT-VALUE}); each batch is stored atomically.")
    int batchSize;

    @Option(names = "--no-progress", description = "Show no progress bar (it is shown only on a terminal anyway).")
    boolean noProgress;

    private long stored;
    private long skipped;
    private long failed;
    private long withoutId;
    private PrintWriter err;

    @Override
    public Integer call() throws IOException {
        if (batchSize < 1 || batchSize > AppendRequest.MAX_EVENTS)
            throw new ParameterException(spec.commandLine(), "--batch-size must be between 1 and "
                    + AppendRequest.MAX_EVENTS + ", not " + batchSize);
        err = spec.commandLine().getErr();
        boolean stdin = file.equals("-");
        long size = stdin ? -1 : Files.size(Path.of(file));
        boolean large = size >= 10L << 20;
        long lines = 0;
        try (AnnalsClient client = root.client();
             CountingStream in = new CountingStream(stdin ? root.stdin : Files.newInputStream(Path.of(file)));
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             Progress bar = Progress.start("import", size, large ? " MiB" : " KiB", large ? 1L << 20 : 1024, !noProgress)) {
            List<NewEvent> batch = new ArrayList<>(batchSize);
            List<Long> batchLines = new ArrayList<>(batchSize);
            String line;
            while ((line = reader.readLine()) != null) {
                lines++;
                if (line.isBlank()) continue;
                try {
                    JsonNode node = Json.parse(Json.mapper(), line.getBytes(StandardCharsets.UTF_8));
                    NewEvent event = format.read(node);
                    if (event.id() == null) withoutId++;
                    batch.add(event);
                    batchLines.add(lines);
                } catch (InvalidEventException | IllegalArgumentException e) {
                    fail(lines, e.getMessage());
                }
                if (batch.size() == batchSize) {
                    send(client, batch, batchLines);
                    bar.stepTo(in.count);
                    bar.message("stored " + stored + ", skipped " + skipped + (failed > 0 ? ", failed " + failed : ""));
                }
            }
            send(client, batch, batchLines);
            bar.stepTo(in.count);
        }
        if (withoutId > 0)
            err.println("warning: " + withoutId + " events had no id; the server gave them new ones, so importing"
                    + " this file again would store them again");
        PrintWriter out = spec.commandLine().getOut();
        out.printf("imported %s: %d stored, %d skipped (already stored), %d failed%n", file, stored, skipped, failed);
        out.flush();
        err.flush();
        return failed == 0 ? AnnalsCommand.OK : AnnalsCommand.FAILED;
    }

    /** Sends a batch and clears it. */
    private void send(AnnalsClient client, List<NewEvent> batch, List<Long> lines) {
        if (batch.isEmpty()) return;
        sendPart(client, batch, lines);
        batch.clear();
        lines.clear();
    }

    /**
     * When the server refuses a batch as a whole, finds the culprits: a body too large is split in halves, a bad
     * event (or a conflicting id) makes the events go one by one, so that only the bad lines are left out.
     */
    private void sendPart(AnnalsClient client, List<NewEvent> events, List<Long> lines) {
        try {
            count(appendWithRetry(client, AppendRequest.of(events)));
        } catch (AnnalsHttpException e) {
            if (e.status() != 413) throw e;
            if (events.size() == 1) {
                fail(lines.get(0), e.problem().message());
                return;
            }
            int half = events.size() / 2;
            sendPart(client, events.subList(0, half), lines.subList(0, half));
            sendPart(client, events.subList(half, events.size()), lines.subList(half, lines.size()));
        } catch (InvalidEventException | DuplicateIdConflictException e) {
            if (events.size() == 1) {
                fail(lines.get(0), e.getMessage());
                return;
            }
            for (int i = 0; i < events.size(); i++) sendPart(client, events.subList(i, i + 1), lines.subList(i, i + 1));
        }
    }

    /** Retries an append that failed for a transient reason (safe: events with ids are stored once). */
    private static AppendResult appendWithRetry(AnnalsClient client, AppendRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.append(request);
            } catch (AnnalsException e) {
                if (!e.isTransient() || attempt == 3) throw e;
                try {
                    Thread.sleep(1000L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void count(AppendResult result) {
        for (var a : result.events()) {
            if (a.duplicate()) skipped++;
            else stored++;
        }
    }

    private void fail(long line, String message) {
        failed++;
        if (failed <= MAX_REPORTED) err.println("line " + line + ": " + message);
        else if (failed == MAX_REPORTED + 1) err.println("(more failures; only the count is reported from here on)");
    }

    /** Counts the bytes read, for the progress bar. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (in != System.in) super.close();
        }
    }
}
