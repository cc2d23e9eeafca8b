package io.annals.testkit;

import io.annals.core.api.AppendRequest;
import io.annals.core.api.EventStore;
import io.annals.core.api.NewEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Writers appending (blocking and async) while the store is closed under them: records which appends were
 * acknowledged and how the others failed. Every writer must come to an end; none may hang on a closed store.
 */
record ClosingRace(List<String> acknowledged, List<Throwable> failures) {

    static ClosingRace run(EventStore store, int writers) throws InterruptedException {
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(writers * 20);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    String id = "race-" + writer + "-" + i;
                    NewEvent e = NewEvent.ofType("race").id(id).aggregate("race", "w" + writer).build();
                    try {
                        if (i % 2 == 0) store.append(e);
                        else store.appendAsync(AppendRequest.of(e)).toCompletableFuture().join();
                        acknowledged.add(id);
                        started.countDown();
                    } catch (RuntimeException x) {
                        failures.add(x instanceof CompletionException && x.getCause() != null ? x.getCause() : x);
                        while (started.getCount() > 0) started.countDown(); // a writer stopped: close now
                        return;
                    }
                }
            }, "closing-race-" + w);
            threads.add(t);
            t.start();
        }
        // close once every writer is under way (or has failed, which the caller sees in failures)
        started.await(30, TimeUnit.SECONDS);
        store.close();
        for (Thread t : threads) t.join();
        return new ClosingRace(List.copyOf(acknowledged), List.copyOf(failures));
    }
}
