package io.annals.cli;

import io.annals.client.AnnalsClient;
import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Event;
import io.annals.core.api.Order;
import io.annals.core.api.Query;
import io.annals.core.api.TimeRange;
import io.annals.core.api.codec.Times;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code annals query}: prints every matching event as newline-delimited JSON, following continuation pages until
 * the end (or {@code --limit}).
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Print the events that match, ordered by event time then id, one JSON object a line.",
                "Follows every continuation page; --limit stops after that many events."})
final class QueryCommand implements Callable<Integer> {
    @ParentCommand AnnalsCommand root;
    @Spec CommandSpec spec;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only events of this type.")
    String type;

    @Option(names = "--tag", paramLabel = "TAG", description = "Only events with this tag (with --type: both).")
    String tag;

    @Option(names = "--aggregate", paramLabel = "TYPE/ID", description = "Read one aggregate's history instead.")
    String aggregate;

    @Option(names = "--start", paramLabel = "TIME", description = "Event time from (inclusive), RFC 3339.")
    String start;

    @Option(names = "--end", paramLabel = "TIME", description = "Event time until (exclusive), RFC 3339.")
    String end;

    @Option(names = "--order", paramLabel = "asc|desc", defaultValue = "asc", description = "Default: ${DEFAULT-VALUE}.")
    String order;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N events (default: all).")
    Long limit;

    @Option(names = "--start-offset", paramLabel = "N", defaultValue = "0", description = "Skip the first N matches (at most 10000).")
    int startOffset;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "1000",
            description = "Events fetched per request, 1-1000 (default ${DEFAULT-VALUE}).")
    int pageSize;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "annals", converter = Formats.Output.class,
            description = "annals (default) or cloudevents.")
    EventFormat format;

    @Override
    public Integer call() {
        if (limit != null && limit < 1) throw usage("--limit must be at least 1, not " + limit);
        TimeRange range;
        Order o;
        try {
            o = Order.parse(order);
            range = new TimeRange(time(start, "--start"), time(end, "--end"));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (AnnalsClient client = root.client()) {
            Stream<Event> events = aggregate != null ? history(client, range, o) : matches(client, range, o);
            if (limit != null) events = events.limit(limit);
            events.forEachOrdered(e -> out.println(format.write(e)));
        } finally {
            out.flush();
        }
        return AnnalsCommand.OK;
    }

    private Stream<Event> matches(AnnalsClient client, TimeRange range, Order o) {
        Query q;
        try {
            q = Query.all().type(type).tag(tag).range(range).order(o).limit(pageSize(1000)).startOffset(startOffset);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return client.queryAll(q);
    }

    private Stream<Event> history(AnnalsClient client, TimeRange range, Order o) {
        if (type != null || tag != null || startOffset != 0)
            throw usage("--aggregate reads one history: it does not combine with --type, --tag or --start-offset");
        int slash = aggregate.indexOf('/');
        if (slash <= 0 || slash == aggregate.length() - 1)
            throw usage("--aggregate must be TYPE/ID, for example parcel/69016fb5, not '" + aggregate + "'");
        AggregateId id = AggregateId.of(aggregate.substring(0, slash), aggregate.substring(slash + 1));
        return client.readAggregateAll(AggregateQuery.of(id).range(range).order(o).limit(pageSize(10_000)));
    }

    private int pageSize(int max) {
        if (pageSize < 1 || pageSize > max) throw usage("--page-size must be between 1 and " + max + ", not " + pageSize);
        return limit != null && limit < pageSize ? limit.intValue() : pageSize;
    }

    private static Instant time(String text, String option) {
        if (text == null) return null;
        try {
            return Times.parse(text, option);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
