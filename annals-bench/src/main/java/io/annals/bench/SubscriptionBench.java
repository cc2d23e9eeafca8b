package io.annals.bench;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The subscription targets of issue 4: end-to-end latency from POST to SSE delivery under an open-loop load
 * ({@link SseLatency}), and catch-up replay of a pre-filled store over SSE against the Java API's readLog of the same
 * store in the same run ({@link SseReplay}).
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
        description = "POST-to-SSE latency under open-loop load, and catch-up replay over SSE against readLog (issue 4).")
final class SubscriptionBench implements Callable<Integer> {
    enum Scenario { latency, replay }

    @Mixin
    BenchOptions options;

    @Option(names = "--scenarios", split = ",", defaultValue = "latency,replay",
            description = "What to run, in this order (default ${DEFAULT-VALUE}).")
    List<Scenario> scenarios;

    @Option(names = "--rate", defaultValue = "5000", description = "Events/s the latency scenario posts, open loop (default ${DEFAULT-VALUE}); --writers connections share them.")
    int rate;

    @Option(names = "--url", description = "Latency against this running server instead of a fresh embedded one.")
    URI url;

    @Option(names = "--events", defaultValue = "1000000", description = "Events in the replayed store (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--data", description = "Keep the replayed store here and reuse it: preload only what it lacks.")
    Path data;

    @Option(names = "--rounds", defaultValue = "2", description = "Replays of each kind, alternating (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--settle", defaultValue = "10",
            description = "Seconds to wait after a preload, for RocksDB's flushes and compactions (default ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Override
    public Integer call() throws Exception {
        List<Result> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            if (s == Scenario.latency) results.addAll(latency());
            else results.addAll(replay());
        }
        Report.print(System.out, results, options);
        List<Report.Check> checks = checks(results, rate);
        System.out.println();
        System.out.println("Targets of issue 4:");
        for (Report.Check c : checks) System.out.println("  " + c);
        for (String line : ratios(results)) System.out.println("  " + line);
        if (options.json != null) Report.writeJson(options.json, "subscribe", results, options, checks);
        return results.stream().anyMatch(r -> r.events() == 0 || r.errors() > 0) ? 1 : 0;
    }

    private List<Result> latency() throws Exception {
        System.err.printf("running sse-e2e-%d: open loop, %d connections (%d s warm-up, %d s measured)%n", rate,
                options.writers, options.warmupSeconds, options.durationSeconds);
        if (url != null) return latencyAgainst(url);
        Path dir = Files.createTempDirectory(Files.createDirectories(options.baseDir()), "annals-bench-sse-");
        try (EmbeddedServer server = EmbeddedServer.start(options.engine, dir, options.storeOptions)) {
            return latencyAgainst(server.url());
        } finally {
            WriteBench.deleteRecursively(dir);
        }
    }

    private List<Result> latencyAgainst(URI base) throws Exception {
        List<Result> r = new SseLatency(base, rate, options.writers, options.warmup(), options.duration(), options.bodyBytes).run();
        r.forEach(x -> System.err.println(Report.line(x)));
        return r;
    }

    private List<Result> replay() throws Exception {
        Path dir = data != null ? Files.createDirectories(data)
                : Files.createTempDirectory(Files.createDirectories(options.baseDir()), "annals-bench-replay-");
        List<Result> results = new ArrayList<>();
        try (EventStore store = EventStores.open(options.engine, new EngineSettings(dir, options.storeOptions, Clock.systemUTC()))) {
            long before = store.stats().approximateEvents();
            long held = Preload.fill(store, events, options.bodyBytes);
            if (held != before && settleSeconds > 0) {
                System.err.printf("letting compactions settle for %d s%n", settleSeconds);
                Thread.sleep(settleSeconds * 1000L);
            }
            try (EmbeddedServer server = EmbeddedServer.serve(store)) {
                for (int round = 1; round <= rounds; round++) {
                    String suffix = rounds == 1 ? "" : "-" + round;
                    results.add(logged(SseReplay.readLog("api-readlog" + suffix, store, held)));
                    results.add(logged(SseReplay.subscribe("api-subscribe" + suffix, store, held)));
                    results.add(logged(SseReplay.sse("sse-replay" + suffix, server.url(), held)));
                }
            }
        } finally {
            if (data == null) WriteBench.deleteRecursively(dir);
        }
        return results;
    }

    private static Result logged(Result r) {
        System.err.println(Report.line(r));
        return r;
    }

    /** The targets of issue 4 that these results allow to check. */
    static List<Report.Check> checks(List<Result> results, int rate) {
        List<Report.Check> checks = new ArrayList<>();
        for (Result r : results) {
            if (r.name().equals("sse-e2e-" + rate) && rate >= 5000) {
                checks.add(new Report.Check(r.name() + " p99", r.p99Millis(), "ms", 50, false));
            }
            if (r.name().startsWith("sse-replay")) {
                checks.add(new Report.Check(r.name() + " rate", r.eventsPerSecond(), "ev/s", 100_000, true));
            }
        }
        return checks;
    }

    /** Each SSE replay against the readLog baseline of its round (no target: the price of the subscription and HTTP). */
    static List<String> ratios(List<Result> results) {
        Map<String, Result> byName = results.stream().collect(Collectors.toMap(Result::name, Function.identity(), (a, b) -> b));
        List<String> lines = new ArrayList<>();
        for (Result r : results) {
            if (!r.name().startsWith("sse-replay")) continue;
            Result base = byName.get(r.name().replace("sse-replay", "api-readlog"));
            Result sub = byName.get(r.name().replace("sse-replay", "api-subscribe"));
            if (base == null || base.eventsPerSecond() == 0) continue;
            lines.add(String.format(Locale.ROOT, "%-44s %12.2f x      (api-subscribe / api-readlog: %.2f x; no target)",
                    r.name() + " / " + base.name(), r.eventsPerSecond() / base.eventsPerSecond(),
                    sub == null ? Double.NaN : sub.eventsPerSecond() / base.eventsPerSecond()));
        }
        return lines;
    }
}
