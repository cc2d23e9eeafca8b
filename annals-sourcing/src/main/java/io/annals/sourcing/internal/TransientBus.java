package io.annals.sourcing.internal;

import io.annals.sourcing.api.Recorded;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The transient schedule: a bounded in-memory queue and one thread that delivers from it, so events reach the
 * handlers one at a time in the order they were published (each aggregate's in dispatch order). A full queue makes
 * {@link #publish} wait. A handler that throws stops the bus: the events still queued are dropped and later
 * publishes fail. {@link #close} delivers the events already queued first (unless a handler calls it: then they are
 * dropped).
 */
public final class TransientBus implements ScheduleRunner {
    private static final Object STOP = new Object();
    private final BlockingQueue<Object> queue;
    private final Sink sink;
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean closed;

    public TransientBus(String name, int capacity, Sink sink) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sink = sink;
        this.thread = new Thread(this::run, "annals-processing-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void publish(List<Recorded<?>> events) {
        for (Recorded<?> e : events) {
            if (!sink.takes(e)) continue;
            check();
            if (Thread.currentThread() == thread) {
                // a handler dispatching: waiting for room would wait for itself
                if (!queue.offer(e))
                    throw new IllegalStateException("the transient bus is full (" + queue.size() + " events) and a"
                            + " handler dispatched to it: raise transient.capacity");
                continue;
            }
            try {
                queue.put(e);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for room on the transient bus", x);
            }
        }
    }

    private void check() {
        if (failure != null)
            throw new IllegalStateException("the transient processing stopped because a handler failed (events are"
                    + " not kept, so start a new one): " + failure, failure);
        if (closed || !thread.isAlive()) throw new IllegalStateException("the transient processing is closed");
    }

    private void run() {
        try {
            for (Object next = queue.take(); next != STOP; next = queue.take()) sink.deliver().accept((Recorded<?>) next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            sink.failed().accept(t); // first, so that a dispatch refused below finds the processing failed
            failure = t;
            queue.clear(); // nothing is kept: what was queued behind the failed event is lost
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        if (Thread.currentThread() == thread) { // a handler closing: the bus ends when it returns
            queue.clear();
            queue.offer(STOP);
            return;
        }
        // a bus that failed has stopped taking; otherwise the marker goes behind the queued events
        try {
            while (thread.isAlive() && !queue.offer(STOP, 50, TimeUnit.MILLISECONDS)) {
                // the queue is full: the bus is working through it
            }
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
