package io.annals.bench;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The annals load generator: events/s and p50/p99/p99.9 latency for raw RocksDB, the Java API and the HTTP API, and
 * the ratios between them measured in the same run. See docs/BENCHMARKS.md for the commands behind each figure.
 * <pre>
 * java -cp annals-bench/target/annals-bench.jar io.annals.bench.LoadGenerator all --embedded
 * </pre>
 */
@Command(name = "LoadGenerator", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load generator for annals (issue 2 targets).",
        subcommands = {LoadGenerator.Raw.class, LoadGenerator.Api.class, LoadGenerator.Http.class,
                QueryBench.class, LoadGenerator.All.class, SubscriptionBench.class, CassandraBench.class, RelayBench.class, SourcingBench.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class LoadGenerator {

    public static void main(String[] args) {
        int code = new CommandLine(new LoadGenerator()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    /** Where the HTTP scenarios send their requests. */
    static final class ServerChoice {
        @Option(names = "--url", description = "Base URL of a running annals server, e.g. http://localhost:8080.")
        URI url;

        @Option(names = "--embedded", description = "Start an annals server with a fresh store (temp dir) in this JVM for each scenario.")
        boolean embedded;
    }

    abstract static class WriteMode implements Callable<Integer> {
        @Mixin
        BenchOptions options;

        abstract String mode();

        abstract Map<String, WriteBench.Opener> targets();

        @Override
        public Integer call() throws Exception {
            List<Result> results = WriteBench.run(options, targets(), descriptions());
            Report.print(System.out, results, options);
            if (options.json != null) Report.writeJson(options.json, mode(), results, options);
            return results.stream().anyMatch(r -> r.events() == 0) ? 1 : 0;
        }

        Map<String, String> descriptions() {
            return Map.of("raw", "raw RocksDB, " + (options.noSync ? "no sync" : "WAL synced"),
                    "api", "Java API (" + options.engine + ")",
                    "http", "HTTP POST /api/events (" + options.client + " client)");
        }

        WriteBench.Opener raw() {
            return dir -> new RawTarget(dir, !options.noSync, options.bodyBytes);
        }

        WriteBench.Opener api() {
            return dir -> new ApiTarget(options.engine, dir, options.storeOptions, options.bodyBytes);
        }

        WriteBench.Opener http(ServerChoice server) {
            if (server == null || (server.url == null && !server.embedded)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "say --url URL or --embedded");
            }
            if (server.embedded) {
                return dir -> {
                    EmbeddedServer s = EmbeddedServer.start(options.engine, dir, options.storeOptions);
                    return new HttpTarget(s.url(), options.client, options.bodyBytes, s);
                };
            }
            return dir -> new HttpTarget(server.url, options.client, options.bodyBytes, () -> { });
        }
    }

    @Command(name = "raw", mixinStandardHelpOptions = true, description = "Raw RocksDB baseline: the rows annals writes per event, one WriteBatch per append.")
    static final class Raw extends WriteMode {
        @Override
        String mode() {
            return "raw";
        }

        @Override
        Map<String, WriteBench.Opener> targets() {
            Map<String, WriteBench.Opener> t = WriteBench.ordered();
            t.put("raw", raw());
            return t;
        }
    }

    @Command(name = "api", mixinStandardHelpOptions = true, description = "Java API appends (EventStores.open) on a fresh store.")
    static final class Api extends WriteMode {
        @Override
        String mode() {
            return "api";
        }

        @Override
        Map<String, WriteBench.Opener> targets() {
            Map<String, WriteBench.Opener> t = WriteBench.ordered();
            t.put("api", api());
            return t;
        }
    }

    @Command(name = "http", mixinStandardHelpOptions = true, description = "HTTP POST /api/events against a server.")
    static final class Http extends WriteMode {
        @ArgGroup(exclusive = true, multiplicity = "1")
        ServerChoice server;

        @Override
        String mode() {
            return "http";
        }

        @Override
        Map<String, WriteBench.Opener> targets() {
            Map<String, WriteBench.Opener> t = WriteBench.ordered();
            t.put("http", http(server));
            return t;
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true,
            description = "raw, api and http in one run, each case back to back, with the ratios of the targets.")
    static final class All extends WriteMode {
        @ArgGroup(exclusive = true, multiplicity = "0..1")
        ServerChoice server;

        @Option(names = "--skip-http", description = "Leave the HTTP scenarios out.")
        boolean skipHttp;

        @Override
        String mode() {
            return "all";
        }

        @Override
        Map<String, WriteBench.Opener> targets() {
            Map<String, WriteBench.Opener> t = WriteBench.ordered();
            t.put("raw", raw());
            t.put("api", api());
            if (!skipHttp) {
                if (server == null) {
                    server = new ServerChoice();
                    server.embedded = true;
                }
                t.put("http", http(server));
            }
            return t;
        }
    }
}
