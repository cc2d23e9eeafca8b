package io.annals.bench;

import io.annals.core.api.AppendRequest;
import io.annals.core.api.EventPage;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Query;
import io.annals.core.api.codec.Times;
import io.annals.core.spi.EngineSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Query latency: preloads {@code --events} events spread over {@value EventFactory#TYPES} types,
 * {@value EventFactory#TAGS} tags and {@code --days} days of event time, then one reader reads pages of 100 by type
 * and by tag from random times (half ascending from a start, half descending from an end), through the Java API and
 * over HTTP (an embedded server on the same store).
 */
@Command(name = "query", mixinStandardHelpOptions = true, description = "Page-read latency by type and by tag after a preload.")
final class QueryBench implements Callable<Integer> {
    /** Event times start here, so that a kept store (--data) is read with the same times on every run. */
    static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final int PRELOAD_BATCH = 1000;

    @Mixin
    BenchOptions options;

    @Option(names = "--events", defaultValue = "1000000", description = "Events to preload (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--days", defaultValue = "30", description = "Days of event time the events spread over (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--readers", defaultValue = "1", description = "Concurrent readers (default ${DEFAULT-VALUE}).")
    int readers;

    @Option(names = "--page", defaultValue = "100", description = "Events per page (default ${DEFAULT-VALUE}).")
    int page;

    @Option(names = "--data", description = "Keep the store here and reuse it: preload only what it lacks (for 10M events).")
    Path data;

    @Option(names = "--settle", defaultValue = "10",
            description = "Seconds to wait after a preload, so that RocksDB's flushes and compactions of it are done before reads are timed (default ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Option(names = "--preload-only", description = "Preload (into --data) and stop, for reading later on a quieter machine.")
    boolean preloadOnly;

    @Option(names = "--skip-http", description = "Leave the HTTP reads out.")
    boolean skipHttp;

    @Override
    public Integer call() throws Exception {
        Path dir = data != null ? Files.createDirectories(data)
                : Files.createTempDirectory(Files.createDirectories(options.baseDir()), "annals-bench-query-");
        List<Result> results = new ArrayList<>();
        try (EventStore store = EventStores.open(options.engine,
                new EngineSettings(dir, options.storeOptions, Clock.systemUTC()))) {
            preload(store);
            if (preloadOnly) {
                System.err.printf("the store in %s holds %,d events%n", dir, store.stats().approximateEvents());
                return 0;
            }
            results.add(read("api-query-type", "Java API, page of " + page + " by type", apiReads(store, true)));
            results.add(read("api-query-tag", "Java API, page of " + page + " by tag", apiReads(store, false)));
            if (!skipHttp) {
                try (EmbeddedServer server = EmbeddedServer.serve(store)) {
                    results.add(read("http-query-type", "HTTP GET /api/events (" + options.client + " client), page of " + page + " by type",
                            httpReads(server.url(), true)));
                    results.add(read("http-query-tag", "HTTP GET /api/events (" + options.client + " client), page of " + page + " by tag",
                            httpReads(server.url(), false)));
                }
            }
        } finally {
            if (data == null) WriteBench.deleteRecursively(dir);
        }
        Report.print(System.out, results, options);
        if (options.json != null) Report.writeJson(options.json, "query", results, options);
        return 0;
    }

    /** Appends what the store lacks up to {@code events}, in batches, two appenders at a time. */
    private void preload(EventStore store) throws InterruptedException {
        long present = store.stats().approximateEvents();
        long missing = events - Math.max(0, present);
        if (missing <= 0) {
            System.err.printf("the store holds %,d events already; no preload%n", present);
            return;
        }
        System.err.printf("preloading %,d events over %d days...%n", missing, days);
        long begin = System.nanoTime();
        AtomicLong next = new AtomicLong();
        long spanMicros = Duration.ofDays(days).toNanos() / 1000;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            EventFactory factory = new EventFactory(1000 + w, options.bodyBytes);
            Thread t = new Thread(() -> {
                long done;
                while ((done = next.getAndAdd(PRELOAD_BATCH)) < missing) {
                    int n = (int) Math.min(PRELOAD_BATCH, missing - done);
                    List<NewEvent> batch = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        long micros = (long) (factory.random().nextDouble() * spanMicros);
                        batch.add(factory.next(Times.fromMicros(Times.toMicros(EPOCH) + micros)));
                    }
                    store.append(AppendRequest.of(batch));
                    long total = done + n;
                    if (total / PRELOAD_BATCH % Math.max(1, missing / PRELOAD_BATCH / 10) == 0) {
                        System.err.printf("  %,d / %,d (%.0f s)%n", total, missing, (System.nanoTime() - begin) / 1e9);
                    }
                }
            }, "preload-" + w);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        System.err.printf("preloaded in %.1f s; letting compactions settle for %d s%n", (System.nanoTime() - begin) / 1e9,
                settleSeconds);
        Thread.sleep(settleSeconds * 1000L);
    }

    private Result read(String name, String what, Runner.OperationFactory reads) throws Exception {
        System.err.printf("running %s: %s (%d s warm-up, %d s measured)%n", name, what, options.warmupSeconds,
                options.durationSeconds);
        Result r = Runner.run(name, what, readers, options.warmup(), options.duration(), reads);
        System.err.println(Report.line(r));
        return r;
    }

    /** A random place to read from: a key, a time in the preloaded range, and a direction. */
    private record Start(String key, Instant time, boolean descending) {}

    private Start start(Random random, boolean byType) {
        String key = byType ? EventFactory.type(random.nextInt(EventFactory.TYPES)) : EventFactory.tag(random.nextInt(EventFactory.TAGS));
        long micros = (long) (random.nextDouble() * (Duration.ofDays(days).toNanos() / 1000));
        return new Start(key, Times.fromMicros(Times.toMicros(EPOCH) + micros), random.nextBoolean());
    }

    private Runner.OperationFactory apiReads(EventStore store, boolean byType) {
        return worker -> {
            Random random = new Random(worker);
            return () -> {
                Start s = start(random, byType);
                Query q = (byType ? Query.ofType(s.key()) : Query.ofTag(s.key())).limit(page);
                q = s.descending() ? q.until(s.time()).descending() : q.from(s.time());
                EventPage result = store.query(q);
                return result.events().size();
            };
        };
    }

    private Runner.OperationFactory httpReads(URI base, boolean byType) {
        HttpClient jdk = options.client == HttpTarget.Client.jdk ? HttpTarget.jdkClient() : null;
        byte[] marker = "\"processedAt\":".getBytes(StandardCharsets.UTF_8);
        return worker -> {
            Random random = new Random(worker);
            RawHttpConnection connection = jdk == null ? new RawHttpConnection(base) : null;
            return () -> {
                Start s = start(random, byType);
                String uri = "/api/events?" + (byType ? "type=" : "tag=") + URLEncoder.encode(s.key(), StandardCharsets.UTF_8)
                        + (s.descending() ? "&order=desc&end=" : "&start=") + Times.format(s.time()) + "&limit=" + page;
                int status;
                byte[] body;
                if (connection != null) {
                    RawHttpConnection.Answer answer = connection.exchange(RawHttpConnection.get(base, uri));
                    status = answer.status();
                    body = answer.body();
                } else {
                    HttpResponse<byte[]> response = jdk.send(HttpRequest.newBuilder(base.resolve(uri)).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    status = response.statusCode();
                    body = response.body();
                }
                if (status != 200) {
                    throw new IOException("GET " + uri + " answered " + status + ": " + new String(body, StandardCharsets.UTF_8));
                }
                return count(body, marker);
            };
        };
    }

    /** Events in a page, counted without parsing it: each event has one processedAt field. */
    static int count(byte[] body, byte[] marker) {
        int n = 0;
        outer:
        for (int i = 0; i <= body.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (body[i + j] != marker[j]) continue outer;
            }
            n++;
            i += marker.length - 1;
        }
        return n;
    }
}
