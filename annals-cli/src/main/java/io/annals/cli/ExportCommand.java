package io.annals.cli;

import io.annals.client.AnnalsClient;
import io.annals.core.api.Event;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.TimeRange;
import io.annals.core.api.codec.Times;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code annals export FILE}: writes events as newline-delimited JSON. Without filters it walks the global log in
 * capture order, so that importing the file into an empty store rebuilds every aggregate stream with the same
 * versions; with {@code --type}, {@code --tag}, {@code --start} or {@code --end} it writes the query's matches in
 * event-time order. The file appears only when the export is complete (written aside, then moved into place).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write events as newline-delimited JSON (annals or CloudEvents form).",
                "Without filters: every event, in capture order. 'annals import' reads the file back."})
final class ExportCommand implements Callable<Integer> {
    private static final int PAGE = 1000;

    @ParentCommand AnnalsCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The file to write ('-' for standard output); replaced if it exists.")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "annals", converter = Formats.Output.class,
            description = "annals (default) or cloudevents.")
    EventFormat format;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type.")
    String type;

    @Option(names = "--tag", paramLabel = "TAG", description = "Only events with this tag.")
    String tag;

    @Option(names = "--start", paramLabel = "TIME", description = "Event time from (inclusive), RFC 3339.")
    String start;

    @Option(names = "--end", paramLabel = "TIME", description = "Event time until (exclusive), RFC 3339.")
    String end;

    @Option(names = "--no-progress", description = "Show no progress bar (it is shown only on a terminal anyway).")
    boolean noProgress;

    private long written;

    @Override
    public Integer call() throws IOException {
        Query query = query();
        boolean stdout = file.equals("-");
        Path target = stdout ? null : Path.of(file).toAbsolutePath();
        Path temp = stdout ? null : Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        try (AnnalsClient client = root.client();
             Writer w = stdout ? new KeepOpen(spec.commandLine().getOut())
                     : new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(temp), StandardCharsets.UTF_8), 1 << 16);
             Progress bar = Progress.start("export", -1, null, 1, !noProgress && !stdout)) {
            Consumer<Event> sink = e -> {
                try {
                    w.write(format.write(e));
                    w.write('\n');
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                if (++written % PAGE == 0) bar.stepTo(written);
            };
            if (query == null) exportLog(client, sink);
            else client.queryAll(query).forEachOrdered(sink);
            bar.stepTo(written);
            w.flush();
        } catch (RuntimeException | IOException | Error e) {
            if (temp != null) Files.deleteIfExists(temp);
            throw e;
        }
        if (!stdout) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getOut().printf("exported %d events to %s%n", written, file);
            spec.commandLine().getOut().flush();
        }
        return AnnalsCommand.OK;
    }

    /** Standard output stays open when the export's writer is closed. */
    private static final class KeepOpen extends java.io.FilterWriter {
        KeepOpen(Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /**
     * The whole log, page by page, until a page comes back empty. (A short page is not the end: an engine may
     * return fewer events than asked when it skips expired ones.)
     */
    private static void exportLog(AnnalsClient client, Consumer<Event> sink) {
        Position at = Position.start();
        while (true) {
            LogPage page = client.readLog(at, PAGE);
            if (page.events().isEmpty() || page.next().equals(at)) return;
            page.events().forEach(sink);
            at = page.next();
        }
    }

    /** The query for the filters, or null when there are none (then the log is exported). */
    private Query query() {
        if (type == null && tag == null && start == null && end == null) return null;
        try {
            TimeRange range = new TimeRange(start == null ? null : Times.parse(start, "--start"),
                    end == null ? null : Times.parse(end, "--end"));
            return Query.all().type(type).tag(tag).range(range).limit(PAGE);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
