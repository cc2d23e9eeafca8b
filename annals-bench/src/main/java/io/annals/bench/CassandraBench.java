package io.annals.bench;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.api.RawJson;
import io.annals.devservers.CassandraNode;
import io.annals.store.cassandra.RawCassandraBaseline;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The Cassandra targets of issue 3, in one run against one node: a soak (unmeasured write load: a node's first
 * minutes run slower), then the raw-driver baseline and the Java API back to back, then single-event POSTs to an
 * annals server on Cassandra, then one 10,000-event aggregate history read. The baseline ({@link RawCassandraBaseline})
 * writes the engine's rows with its statements in groups of {@code writers / }{@value #GROUPS} events, {@value #GROUPS}
 * groups in flight: as many events in flight as the API run has writers.
 * <pre>
 * java -cp annals-bench/target/annals-bench.jar io.annals.bench.LoadGenerator cassandra --writers 64 --http embedded
 * </pre>
 */
@Command(name = "cassandra", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Cassandra engine vs raw driver (same rows), POSTs on Cassandra, 10k-event history read (issue 3).")
final class CassandraBench implements Callable<Integer> {
    private static final int GROUPS = 4;
    /** Groups each raw worker cycles through (a power of two). */
    private static final int RAW_POOL = 1024;

    @Mixin
    BenchOptions options;

    @Option(names = "--contact-point", description = "host:port of a running node; default: start one (1 GiB heap,"
            + " commit log synced every 10 s) in --node-dir and stop it at the end.")
    String contactPoint;

    @Option(names = "--node-pid", description = "Process id of the node at --contact-point (on this machine), to report"
            + " its CPU time per event; known without it when the bench starts the node.")
    Long nodePid;

    @Option(names = "--node-dir", defaultValue = "target/bench-cassandra", description = "Work directory of the started node (default ${DEFAULT-VALUE}).")
    Path nodeDir;

    @Option(names = "--keyspace", defaultValue = "annals_bench", description = "Keyspace every scenario writes (default ${DEFAULT-VALUE}).")
    String keyspace;

    @Option(names = "--soak", defaultValue = "180", description = "Seconds of unmeasured API write load first (default ${DEFAULT-VALUE}).")
    int soakSeconds;

    @Option(names = "--http", description = "POST scenario: 'embedded' (a server on Cassandra in this JVM) or the URL of"
            + " a running `annals serve --store cassandra`; left out when not given.")
    String http;

    @Option(names = "--post-soak", defaultValue = "60", description = "Seconds of unmeasured POSTs to the freshly started"
            + " server before the POST scenario: its HTTP path is not compiled yet when the server starts (default ${DEFAULT-VALUE}).")
    int postSoakSeconds;

    /** How the Java API scenario appends. */
    enum ApiStyle { blocking, async }

    @Option(names = "--api", defaultValue = "blocking", description = "Java API scenario: 'blocking' (--writers threads,"
            + " each waiting for its append) or 'async' (the raw driver's shape: 4 workers, each keeping --writers / 4"
            + " appendAsync in flight and waiting for them all) (default ${DEFAULT-VALUE}).")
    ApiStyle apiStyle;

    @Option(names = "--rounds", defaultValue = "1", description = "Pairs of driver and API runs; the order alternates"
            + " (driver first in odd rounds, API first in even ones), so that neither always pays for the other's"
            + " compactions; the ratio is checked on the sums; 0 for none, e.g. to read the history on a node at rest"
            + " (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--history", defaultValue = "10000", description = "Events of the aggregate history read; 0 leaves it out (default ${DEFAULT-VALUE}).")
    int historyEvents;

    @Override
    public Integer call() throws Exception {
        CassandraNode node = null;
        if (contactPoint == null) {
            System.err.println("starting a Cassandra node in " + nodeDir.toAbsolutePath());
            node = CassandraNode.builder().workDir(nodeDir.toAbsolutePath()).heap("256m", "1g")
                    .commitlogSyncPeriod(Duration.ofSeconds(10)).build().start();
            contactPoint = node.contactPoint().getHostString() + ":" + node.contactPoint().getPort();
            nodePid = node.pid();
        }
        try {
            return run();
        } finally {
            if (node != null) node.close();
        }
    }

    private Map<String, String> storeOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("contact-points", contactPoint);
        o.put("keyspace", keyspace);
        o.putAll(options.storeOptions);
        return o;
    }

    private int run() throws Exception {
        Map<String, String> opts = storeOptions();
        int writers = options.writers;
        List<Result> results = new ArrayList<>();
        List<Report.Check> checks = new ArrayList<>();
        Path dir = options.baseDir();
        try (ApiTarget api = new ApiTarget("cassandra", dir, opts, options.bodyBytes)) {
            if (soakSeconds > 0) {
                System.err.printf("soak: %d writers through the Java API for %d s (not measured)%n", writers, soakSeconds);
                Runner.run("soak", "soak", writers, Duration.ofSeconds(soakSeconds), Duration.ofSeconds(1), api::single);
            }
            double driverEvents = 0, apiEvents = 0, driverSeconds = 0, apiSeconds = 0;
            try (RawCassandraBaseline raw = new RawCassandraBaseline(opts)) {
                for (int round = 1; round <= rounds; round++) {
                    String suffix = rounds == 1 ? "" : "-" + round;
                    for (int k = 0; k < 2; k++) {
                        boolean driverNow = (k == 0) == (round % 2 == 1);
                        Result r = driverNow ? driver(raw, writers, suffix) : api(api, opts, writers, suffix);
                        results.add(r);
                        if (driverNow) {
                            driverEvents += r.events();
                            driverSeconds += r.seconds();
                        } else {
                            apiEvents += r.events();
                            apiSeconds += r.seconds();
                        }
                    }
                }
            }
            if (rounds > 0) {
                double apiRate = apiEvents / apiSeconds, driverRate = driverEvents / driverSeconds;
                checks.add(new Report.Check("api-" + writers + " rate", apiRate, "ev/s", 9_000, true));
                checks.add(new Report.Check("api-" + writers + " / driver-" + writers, apiRate / driverRate, "x", 0.7, true));
            }

            if (http != null) {
                Result p = post(opts);
                System.err.println(Report.line(p));
                results.add(p);
                checks.add(new Report.Check(p.name() + " rate", p.eventsPerSecond(), "ev/s", 5_000, true));
                checks.add(new Report.Check(p.name() + " p99", p.p99Millis(), "ms", 50, false));
            }
            if (historyEvents > 0) {
                double median = history(api.store());
                checks.add(new Report.Check("history of " + historyEvents + " events, warm, median of 10", median, "ms", 100, false));
            }
        }
        Report.print(System.out, results, options);
        System.out.println("Targets of issue 3 (one Cassandra node on this machine):");
        for (Report.Check c : checks) System.out.println("  " + c);
        if (options.json != null) Report.writeJson(options.json, "cassandra", results, options);
        return results.stream().anyMatch(x -> x.events() == 0) ? 1 : 0;
    }

    /**
     * Runs a scenario and prints what the node did per event over about the same measured window (sampled at the
     * end of the warm-up and of the window): the requests it served and the mutations it applied (the completed
     * tasks of its Native-Transport-Requests and MutationStage pools, from {@code system_views.thread_pools}), which
     * do not depend on the machine's load, and, with the node's process id, its CPU time (on one machine the
     * node's CPU is most of the cost of an event).
     */
    private Result measured(Callable<Result> scenario) throws Exception {
        java.util.Optional<ProcessHandle> process = nodePid == null ? java.util.Optional.empty() : ProcessHandle.of(nodePid);
        Map<String, Long>[] samples = new Map[2];
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (com.datastax.oss.driver.api.core.CqlSession session = com.datastax.oss.driver.api.core.CqlSession.builder()
                .addContactPoint(new java.net.InetSocketAddress(contactPoint.substring(0, contactPoint.lastIndexOf(':')),
                        Integer.parseInt(contactPoint.substring(contactPoint.lastIndexOf(':') + 1))))
                .withLocalDatacenter(CassandraNode.DATACENTER).build()) {
            Callable<Map<String, Long>> sample = () -> {
                Map<String, Long> m = new LinkedHashMap<>();
                m.put("cpu", process.flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L));
                for (var row : session.execute("SELECT name, completed_tasks FROM system_views.thread_pools"))
                    m.put(row.getString("name"), row.getLong("completed_tasks"));
                return m;
            };
            timer.schedule(() -> samples[0] = sample.call(), options.warmup().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            timer.schedule(() -> samples[1] = sample.call(), options.warmup().plus(options.duration()).toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            Result r = scenario.call();
            timer.shutdown();
            timer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            if (samples[0] != null && samples[1] != null && r.events() > 0) {
                java.util.function.ToDoubleFunction<String> perEvent = k ->
                        (samples[1].getOrDefault(k, 0L) - samples[0].getOrDefault(k, 0L)) / (double) r.events();
                System.err.printf(Locale.ROOT, "  %s: node per event: %.2f requests, %.2f mutations, %.2f reads, CPU %.1f µs (client %.1f µs)%n",
                        r.name(), perEvent.applyAsDouble("Native-Transport-Requests"), perEvent.applyAsDouble("MutationStage"),
                        perEvent.applyAsDouble("ReadStage"), process.isEmpty() ? Double.NaN : perEvent.applyAsDouble("cpu") / 1000,
                        r.cpuMicrosPerEvent());
            }
            return r;
        } finally {
            timer.shutdownNow();
        }
    }

    private Result driver(RawCassandraBaseline raw, int writers, String suffix) throws Exception {
        int group = Math.max(1, writers / GROUPS);
        String what = "raw driver, the engine's rows and batches, " + GROUPS + " groups of " + group + " events in flight";
        String name = "driver-" + writers + suffix;
        System.err.printf("running %s: %s%n", name, what);
        Result r = measured(() -> Runner.run(name, what, GROUPS, options.warmup(), options.duration(), w -> rawGroups(raw, w, group)));
        System.err.println(Report.line(r));
        return r;
    }

    private Result api(ApiTarget api, Map<String, String> opts, int writers, String suffix) throws Exception {
        boolean async = apiStyle == ApiStyle.async;
        int group = Math.max(1, writers / GROUPS);
        String what = "Java API (cassandra " + opts + "), " + (async ? GROUPS + " workers with " + group
                + " appendAsync of one event in flight each" : writers + " writers, single events");
        String name = "api-" + (async ? "async-" : "") + writers + suffix;
        System.err.printf("running %s: %s%n", name, what);
        Result r = measured(() -> async ? Runner.run(name, what, GROUPS, options.warmup(), options.duration(), w -> api.window(w, group))
                : Runner.run(name, what, writers, options.warmup(), options.duration(), api::single));
        System.err.println(Report.line(r));
        return r;
    }

    /**
     * One raw worker: writes groups of {@code size} events made before the clock starts (ids fresh per write). The
     * workers together cycle through as many events as the API's writers ({@value #RAW_POOL} groups each, so
     * {@code writers} x 1,024 events), so that both touch as many aggregates: with 64 groups each the driver cycled
     * through 4,096 events, a twelfth of the history partitions and stream heads the API wrote (the node spent ~10%
     * less CPU per event on them in one alternating pair of runs).
     */
    private Runner.Operation rawGroups(RawCassandraBaseline raw, int worker, int size) {
        EventFactory factory = new EventFactory(1000 + worker, options.bodyBytes);
        List<List<NewEvent>> pool = new ArrayList<>(RAW_POOL);
        for (int i = 0; i < RAW_POOL; i++) pool.add(factory.batch(size));
        int[] next = {0};
        return () -> {
            List<NewEvent> batch = pool.get(next[0]++ & (RAW_POOL - 1));
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            List<Event> events = new ArrayList<>(batch.size());
            for (NewEvent e : batch) {
                events.add(new Event(UUID.randomUUID().toString(), e.type(), e.version(), e.source(), e.aggregate(), now, now,
                        e.metadata(), e.tags(), e.payload(), e.ttl(), null, 0));
            }
            raw.writeGroup(events, 1);
            return events.size();
        };
    }

    /** Single-event POSTs from {@code writers} connections to an embedded server on Cassandra or to --http URL. */
    private Result post(Map<String, String> opts) throws Exception {
        String name = "post-" + options.writers;
        String what = "HTTP POST /api/events, one event each, " + options.writers + " connections";
        WriteTarget target;
        if (http.equals("embedded")) {
            EmbeddedServer server = EmbeddedServer.start("cassandra", options.baseDir(), opts);
            target = new HttpTarget(server.url(), options.client, options.bodyBytes, server);
            what += ", embedded server";
        } else {
            target = new HttpTarget(URI.create(http), options.client, options.bodyBytes, () -> { });
            what += ", server at " + http;
        }
        String described = what;
        try (target) {
            if (postSoakSeconds > 0) {
                System.err.printf("post soak: %d connections for %d s (not measured)%n", options.writers, postSoakSeconds);
                Runner.run("post-soak", "post soak", options.writers, Duration.ofSeconds(postSoakSeconds), Duration.ofSeconds(1), target::single);
            }
            System.err.printf("running %s: %s%n", name, what);
            return measured(() -> Runner.run(name, described, options.writers, options.warmup(), options.duration(), target::single));
        }
    }

    /** Writes one aggregate's history, reads it 3 times to warm up, then 10 times; prints and returns the median ms. */
    private double history(EventStore store) {
        AggregateId stream = AggregateId.of("bench-history", UUID.randomUUID().toString());
        EventFactory factory = new EventFactory(7, options.bodyBytes);
        for (int written = 0; written < historyEvents; ) {
            int n = Math.min(100, historyEvents - written);
            List<NewEvent> batch = new ArrayList<>(n);
            for (NewEvent e : factory.batch(n)) batch.add(NewEvent.ofType(e.type()).aggregate(stream).tags(e.tags())
                    .payload(e.payload() == null ? RawJson.trusted("{}") : e.payload()).build());
            store.append(AppendRequest.of(batch));
            written += n;
        }
        double[] millis = new double[10];
        for (int i = -3; i < 10; i++) {
            long t0 = System.nanoTime();
            int read = read(store, stream);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (read != historyEvents) throw new IllegalStateException("read " + read + " events of " + historyEvents);
            if (i >= 0) millis[i] = ms;
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double median = (sorted[4] + sorted[5]) / 2;
        System.err.printf(Locale.ROOT, "history of %d events: median %.1f ms, reads %s ms%n", historyEvents, median, Arrays.toString(millis));
        return median;
    }

    private static int read(EventStore store, AggregateId stream) {
        int read = 0;
        var page = store.readAggregate(AggregateQuery.of(stream).limit(AggregateQuery.MAX_LIMIT));
        read += page.events().size();
        while (page.hasMore()) {
            page = store.readAggregate(AggregateQuery.of(stream).limit(AggregateQuery.MAX_LIMIT).after(page.next()));
            read += page.events().size();
        }
        return read;
    }
}
