package io.annals.bench;

import io.annals.core.api.AppendRequest;
import io.annals.core.api.EventStore;
import io.annals.core.api.NewEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Fills a store up to a number of bench events (receipt times) through the Java API, in batches, two appenders. */
final class Preload {
    private static final int BATCH = 1000;

    private Preload() {}

    /** Appends what {@code store} lacks up to {@code events}; returns the events it holds. */
    static long fill(EventStore store, long events, int bodyBytes) throws InterruptedException {
        long present = store.stats().approximateEvents();
        long missing = events - Math.max(0, present);
        if (missing <= 0) {
            System.err.printf("the store holds %,d events already; no preload%n", present);
            return present;
        }
        System.err.printf("preloading %,d events of ~%d bytes...%n", missing, bodyBytes);
        long begin = System.nanoTime();
        AtomicLong next = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            EventFactory factory = new EventFactory(2000 + w, bodyBytes);
            Thread t = new Thread(() -> {
                for (long done; (done = next.getAndAdd(BATCH)) < missing; ) {
                    int n = (int) Math.min(BATCH, missing - done);
                    List<NewEvent> batch = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) batch.add(factory.next(null));
                    store.append(AppendRequest.of(batch));
                }
            }, "preload-" + w);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        long held = store.stats().approximateEvents();
        System.err.printf("preloaded in %.1f s; the store holds %,d events%n", (System.nanoTime() - begin) / 1e9, held);
        return held;
    }
}
