package io.annals.bench;

import io.annals.core.api.EventStore;
import io.annals.core.api.LogFilter;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import io.annals.core.api.Event;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Catch-up replay of a whole store's log, start to head, three ways: {@link EventStore#readLog} page after page (the
 * baseline: what the engine reads), {@link EventStore#subscribe} (the subscription's loop on top of it), and
 * {@code GET /api/subscribe?from=start} read by a lean SSE client (the subscription, JSON and HTTP on top of that).
 * Each is timed from the first request to the last event; the rate is events over that time. A replay that ends
 * with another count of events than the store holds counts the difference as errors.
 */
final class SseReplay {
    /** The subscription's own page size (LogSubscription.PAGE), so that the baseline reads the same pages. */
    static final int PAGE = 1000;
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CAUGHT_UP = ": caught up".getBytes(StandardCharsets.US_ASCII);

    private SseReplay() {}

    static Result readLog(String name, EventStore store, long expected) {
        Position end = store.readLog(Position.end(), 1).next();
        long begin = System.nanoTime();
        long cpu = Runner.processCpuNanos();
        long events = 0;
        for (Position after = Position.start(); !after.equals(end); ) {
            LogPage page = store.readLog(after, PAGE);
            events += page.events().size();
            after = page.next();
        }
        return result(name, "Java API readLog, pages of " + PAGE + ", start to head", events, expected, begin, cpu);
    }

    static Result subscribe(String name, EventStore store, long expected) throws Exception {
        AtomicLong events = new AtomicLong();
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        long begin = System.nanoTime();
        long cpu = Runner.processCpuNanos();
        try (Subscription s = store.subscribe(Position.start(), LogFilter.all(), new SubscriptionListener() {
            private long n;

            @Override
            public void onEvent(Event event) {
                n++;
            }

            @Override
            public void onProgress(Position position, boolean live) {
                events.set(n);
                if (live) caughtUp.complete(null);
            }

            @Override
            public void onClosed(Throwable failure) {
                if (failure != null) caughtUp.completeExceptionally(failure);
            }
        })) {
            caughtUp.get(10, TimeUnit.MINUTES);
            return result(name, "Java API subscribe from start until caught up", events.get(), expected, begin, cpu);
        }
    }

    static Result sse(String name, URI base, long expected) throws IOException {
        long[] events = {0};
        long begin = System.nanoTime();
        long cpu = Runner.processCpuNanos();
        try (SseReader reader = SseReader.open(base, "/api/subscribe?from=start")) {
            boolean stopped = reader.read((b, from, to) -> {
                if (SseReader.startsWith(b, from, to, DATA)) events[0]++;
                return !SseReader.startsWith(b, from, to, CAUGHT_UP);
            });
            if (!stopped) throw new IOException("the SSE stream ended after " + events[0] + " events, before it caught up");
        }
        return result(name, "GET /api/subscribe?from=start (raw SSE client) until ': caught up'", events[0], expected, begin, cpu);
    }

    private static Result result(String name, String what, long events, long expected, long begin, long cpuBegin) {
        double seconds = (System.nanoTime() - begin) / 1e9;
        long cpu = cpuBegin < 0 ? -1 : Runner.processCpuNanos() - cpuBegin;
        return new Result(name, what, 1, events, events, Math.abs(expected - events), seconds, new Histogram(1000, 1), cpu);
    }
}
