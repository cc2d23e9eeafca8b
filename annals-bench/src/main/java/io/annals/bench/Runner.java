package io.annals.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Runs one closed-loop scenario: {@code threads} workers each call their {@link Operation} back to back, first for
 * the warm-up (not measured), then for the measured duration. Only operations that start and end inside the
 * measured window count, so the rate is events in the window divided by its length.
 */
final class Runner {
    /** One timed call, for example one append or one page read. */
    @FunctionalInterface
    interface Operation {
        /** Does the work and returns how many events it wrote or read. */
        int call() throws Exception;
    }

    /** Makes the operation of one worker (each worker gets its own, so operations need not be thread-safe). */
    @FunctionalInterface
    interface OperationFactory {
        Operation create(int worker) throws Exception;
    }

    /** Latencies above this are recorded as this (one minute). */
    private static final long MAX_MICROS = 60_000_000L;
    /** A scenario whose operations fail this many times in a row stops early. */
    private static final int MAX_ERRORS_IN_A_ROW = 1000;

    private Runner() {}

    static Result run(String name, String description, int threads, Duration warmup, Duration duration,
            OperationFactory factory) throws Exception {
        List<Operation> operations = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) operations.add(factory.create(i));

        long begin = System.nanoTime();
        long measureStart = begin + warmup.toNanos();
        long measureEnd = measureStart + duration.toNanos();
        Histogram[] histograms = new Histogram[threads];
        AtomicLong events = new AtomicLong();
        AtomicLong operationsDone = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>(threads);
        CountDownLatch finished = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            Histogram h = new Histogram(MAX_MICROS, 3);
            histograms[i] = h;
            Operation op = operations.get(i);
            Thread t = new Thread(() -> {
                long myEvents = 0;
                long myOps = 0;
                int errorsInARow = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= measureEnd) break;
                    int n;
                    try {
                        n = op.call();
                        errorsInARow = 0;
                    } catch (Throwable e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e);
                        if (++errorsInARow >= MAX_ERRORS_IN_A_ROW) break;
                        continue;
                    }
                    long t1 = System.nanoTime();
                    if (t0 >= measureStart && t1 <= measureEnd) {
                        h.recordValue(Math.min(MAX_MICROS, (t1 - t0) / 1000));
                        myEvents += n;
                        myOps++;
                    }
                }
                events.addAndGet(myEvents);
                operationsDone.addAndGet(myOps);
                finished.countDown();
            }, name + "-" + i);
            workers.add(t);
            t.start();
        }
        // The process's CPU time over the measured window: a cost per event that other processes disturb far less
        // than they disturb rates (it includes an embedded server's work, not a remote one's).
        waitUntil(measureStart, finished);
        long cpuStart = processCpuNanos();
        waitUntil(measureEnd, finished);
        long cpuNanos = processCpuNanos() - cpuStart;
        for (Thread t : workers) t.join();

        Histogram all = new Histogram(MAX_MICROS, 3);
        for (Histogram h : histograms) all.add(h);
        double seconds = duration.toNanos() / 1e9;
        Throwable error = firstError.get();
        if (error != null) {
            System.err.printf("%s: %d operations failed; the first: %s%n", name, errors.get(), error);
        }
        return new Result(name, description, threads, events.get(), operationsDone.get(), errors.get(), seconds, all,
                cpuStart < 0 ? -1 : cpuNanos);
    }

    /** Waits until {@code nanoTime} or until every worker has stopped, whichever comes first. */
    private static void waitUntil(long nanoTime, CountDownLatch finished) throws InterruptedException {
        finished.await(Math.max(0, nanoTime - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** CPU time of this JVM in nanoseconds, or -1 when the platform does not tell. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
