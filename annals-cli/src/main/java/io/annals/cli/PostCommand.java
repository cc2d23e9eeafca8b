package io.annals.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.annals.client.AnnalsClient;
import io.annals.core.api.AggregateId;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.NewEvent;
import io.annals.core.api.codec.AppendBody;
import io.annals.core.api.codec.Json;
import io.annals.core.api.codec.Times;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code annals post}: appends one event or a batch, given as JSON (an argument, a file or standard input; the
 * annals form or CloudEvents, told apart by {@code specversion}) or built from {@code --type} and its companions.
 */
@Command(name = "post", mixinStandardHelpOptions = true,
        description = {"Append an event (or a batch) and print where it was stored.",
                "The event is JSON given as an argument, with --file, or on standard input; or built with --type."})
final class PostCommand implements Callable<Integer> {
    @ParentCommand AnnalsCommand root;
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "JSON", description = "The event (or an array, or {\"events\":[...]}).")
    String json;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the JSON from FILE ('-' for standard input).")
    String file;

    @Option(names = "--type", paramLabel = "TYPE", description = "Build the event: its type (required to build).")
    String type;

    @Option(names = "--aggregate", paramLabel = "TYPE/ID", description = "Its aggregate, for example parcel/69016fb5.")
    String aggregate;

    @Option(names = "--data", paramLabel = "JSON", description = "Its payload (any JSON value).")
    String data;

    @Option(names = "--id", paramLabel = "ID", description = "Its id (the idempotency key; default: assigned by the server).")
    String id;

    @Option(names = "--source", paramLabel = "SOURCE", description = "Who emitted it.")
    String source;

    @Option(names = "--time", paramLabel = "TIME", description = "Its event time, RFC 3339 (default: receipt).")
    String time;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "A metadata entry (repeatable).")
    Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = "--expected-version", paramLabel = "VERSION",
            description = "any, noStream or the stream's current version; a mismatch stores nothing.")
    String expectedVersion;

    @Override
    public Integer call() throws IOException {
        AppendRequest request = request();
        if (expectedVersion != null) request = request.expecting(parseExpected());
        try (AnnalsClient client = root.client()) {
            AppendResult result = client.append(request);
            spec.commandLine().getOut().println(toJson(result));
            spec.commandLine().getOut().flush();
        }
        return AnnalsCommand.OK;
    }

    private AppendRequest request() throws IOException {
        boolean building = type != null;
        boolean buildFlags = aggregate != null || data != null || id != null || source != null || time != null
                || !tags.isEmpty() || !meta.isEmpty();
        if (building && (json != null || file != null))
            throw usage("give the event either as JSON (argument, --file or stdin) or with --type, not both");
        if (!building && buildFlags)
            throw usage("--aggregate, --data, --id, --source, --time, --tag and --meta build an event: add --type");
        if (json != null && file != null) throw usage("give the JSON either as an argument or with --file, not both");
        if (building) return AppendRequest.of(build());
        byte[] bytes;
        if (json != null) bytes = json.getBytes(StandardCharsets.UTF_8);
        else if (file == null || file.equals("-")) {
            if (root.stdin == System.in && Progress.interactive())
                spec.commandLine().getErr().println("reading the event from standard input (end with Ctrl-D) ...");
            bytes = root.stdin.readAllBytes();
        }
        else bytes = Files.readAllBytes(Path.of(file));
        JsonNode node = Json.parse(Json.mapper(), bytes);
        return AppendBody.read(node, EventFormat.detect(node) == EventFormat.CLOUDEVENTS);
    }

    private NewEvent build() {
        NewEvent.Builder b = NewEvent.ofType(type).id(id).source(source).tags(tags).metadata(meta);
        if (aggregate != null) {
            int slash = aggregate.indexOf('/');
            if (slash <= 0 || slash == aggregate.length() - 1)
                throw usage("--aggregate must be TYPE/ID, for example parcel/69016fb5, not '" + aggregate + "'");
            b.aggregate(AggregateId.of(aggregate.substring(0, slash), aggregate.substring(slash + 1)));
        }
        if (data != null) b.payload(data);
        if (time != null) b.time(Times.parse(time, "--time"));
        return b.build();
    }

    private ExpectedVersion parseExpected() {
        try {
            return ExpectedVersion.parse(expectedVersion);
        } catch (IllegalArgumentException e) {
            throw usage("--expected-version: " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The server's answer form: {@code {"events":[{"id","position","streamVersion","duplicate"}]}}. */
    static String toJson(AppendResult result) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("events");
            for (Appended a : result.events()) {
                g.writeStartObject();
                g.writeStringField("id", a.id());
                if (a.position() != null) g.writeStringField("position", a.position().value());
                if (a.streamVersion() > 0) g.writeNumberField("streamVersion", a.streamVersion());
                g.writeBooleanField("duplicate", a.duplicate());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
