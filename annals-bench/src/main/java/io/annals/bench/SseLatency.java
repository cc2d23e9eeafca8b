package io.annals.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * End-to-end latency from a POST to its delivery over SSE, under an open-loop load: event {@code n} is due at
 * {@code start + n / rate}, whichever sender connection is free takes it, and every latency is counted from the
 * time the event was due, not from when it went out (so a stalled server cannot hide its stall by slowing the
 * senders down: no coordinated omission). Each event carries its number in its payload ({@code "seq":n}); one SSE
 * reader ({@code GET /api/subscribe?from=end}) reads it back and records the arrival against the due time. Events
 * due in the warm-up are sent and checked but not timed. Every event must arrive exactly once: a missing or repeated
 * one counts as an error.
 */
final class SseLatency {
    private static final long MAX_MICROS = 60_000_000L;
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUBSCRIBED = ": subscribed".getBytes(StandardCharsets.US_ASCII);
    /** How long the reader may take, after the last send, for the last events to arrive. */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final URI base;
    private final int rate;
    private final int connections;
    private final int bodyBytes;
    private final long interval;
    private final int warmCount;
    private final int total;
    private final Duration duration;

    SseLatency(URI base, int rate, int connections, Duration warmup, Duration duration, int bodyBytes) {
        this.base = base;
        this.rate = rate;
        this.connections = connections;
        this.bodyBytes = bodyBytes;
        this.interval = 1_000_000_000L / rate;
        this.warmCount = (int) (warmup.toNanos() / interval);
        this.total = warmCount + (int) (duration.toNanos() / interval);
        this.duration = duration;
    }

    /** Runs the load; returns the SSE delivery result and the POST result, both timed from the due time. */
    List<Result> run() throws Exception {
        SseReader reader = SseReader.open(base, "/api/subscribe?from=end");
        // The stream's first comment says where it starts: events posted after it are delivered.
        reader.read((b, from, to) -> !SseReader.startsWith(b, from, to, SUBSCRIBED));
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);

        Delivery delivery = new Delivery(start);
        Thread readerThread = new Thread(() -> delivery.readAll(reader), "sse-reader");
        readerThread.start();

        AtomicInteger next = new AtomicInteger();
        AtomicLong postErrors = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        Histogram[] posts = new Histogram[connections];
        long[] posted = new long[connections];
        List<Thread> senders = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            int worker = w;
            posts[w] = new Histogram(MAX_MICROS, 3);
            Thread t = new Thread(() -> {
                EventFactory factory = new EventFactory(worker, bodyBytes);
                try (RawHttpConnection connection = new RawHttpConnection(base)) {
                    for (int n = next.getAndIncrement(); n < total; n = next.getAndIncrement()) {
                        byte[] request = RawHttpConnection.post(base, "/api/events", body(factory, n));
                        long due = start + n * interval;
                        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                        try {
                            RawHttpConnection.Answer answer = connection.exchange(request);
                            if (answer.status() != 201) throw new IOException("POST answered " + answer.status() + ": " + answer.text());
                        } catch (IOException e) {
                            postErrors.incrementAndGet();
                            firstError.compareAndSet(null, e);
                            continue;
                        }
                        if (n >= warmCount) {
                            posts[worker].recordValue(Math.min(MAX_MICROS, (System.nanoTime() - due) / 1000));
                            posted[worker]++;
                        }
                    }
                }
            }, "sse-sender-" + w);
            senders.add(t);
            t.start();
        }

        long measureStart = start + warmCount * interval;
        sleepUntil(measureStart);
        long cpuStart = Runner.processCpuNanos();
        sleepUntil(measureStart + duration.toNanos());
        long cpuNanos = Runner.processCpuNanos() - cpuStart;
        for (Thread t : senders) t.join();
        readerThread.join(DRAIN.toMillis());
        reader.close(); // ends a reader still waiting for events that will not come
        readerThread.join();

        if (firstError.get() != null) System.err.printf("%d POSTs failed; the first: %s%n", postErrors.get(), firstError.get());
        long lost = total - postErrors.get() - delivery.received;
        if (lost != 0 || delivery.repeated != 0) {
            System.err.printf("SSE: %d events posted and not delivered, %d delivered twice%s%n", lost, delivery.repeated,
                    delivery.failure == null ? "" : "; the reader failed: " + delivery.failure);
        }
        Histogram postAll = new Histogram(MAX_MICROS, 3);
        long postedAll = 0;
        for (int w = 0; w < connections; w++) {
            postAll.add(posts[w]);
            postedAll += posted[w];
        }
        double seconds = duration.toNanos() / 1e9;
        String load = String.format("open loop %,d events/s over %d connections", rate, connections);
        return List.of(
                new Result("sse-e2e-" + rate, "POST to SSE delivery, " + load + ", one SSE reader", 1,
                        delivery.timed, delivery.timed, Math.abs(lost) + delivery.repeated, seconds, delivery.latency,
                        cpuStart < 0 ? -1 : cpuNanos),
                new Result("post-" + rate, "POST /api/events acknowledged, " + load, connections, postedAll, postedAll,
                        postErrors.get(), seconds, postAll, cpuStart < 0 ? -1 : cpuNanos));
    }

    /** The posted form of event {@code n}: a bench event whose payload starts with {@code "seq":n}. */
    private static byte[] body(EventFactory factory, int n) {
        String json = EventFactory.json(factory.next(null));
        return json.replace("\"payload\":{", "\"payload\":{\"seq\":" + n + ",").getBytes(StandardCharsets.UTF_8);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** The reader's side, all on its one thread. */
    private final class Delivery {
        final long start;
        final BitSet seen = new BitSet();
        final Histogram latency = new Histogram(MAX_MICROS, 3);
        volatile long received;
        volatile long repeated;
        volatile long timed;
        volatile Throwable failure;

        Delivery(long start) {
            this.start = start;
        }

        void readAll(SseReader reader) {
            try {
                reader.read(this::line);
            } catch (IOException | RuntimeException e) {
                failure = e; // the reader was closed after the drain time, or the server failed
            }
        }

        private boolean line(byte[] b, int from, int to) {
            if (!SseReader.startsWith(b, from, to, DATA)) return true;
            long now = System.nanoTime();
            int at = SseReader.find(b, from, to, SEQ);
            if (at < 0) return true; // not one of ours
            int n = (int) SseReader.number(b, at + SEQ.length, to);
            if (seen.get(n)) {
                repeated++;
                return true;
            }
            seen.set(n);
            received++;
            if (n >= warmCount) {
                latency.recordValue(Math.min(MAX_MICROS, Math.max(0, now - (start + n * interval)) / 1000));
                timed++;
            }
            return received < total;
        }
    }
}
