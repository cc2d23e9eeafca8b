package io.annals.core.internal;

import io.annals.core.api.AnnalsException;
import io.annals.core.api.Event;
import io.annals.core.api.LogFilter;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import io.annals.core.spi.StorageEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription: a pull loop on a thread of its own that reads the global log a page at a time from its position
 * and hands matching events to the listener. Caught up, it parks until an append of this process wakes it
 * ({@link #wake()}, cheap and never blocking) or the poll interval passes (events written by other processes,
 * or moved past a settle delay). Pulling means a slow listener holds one page at most and never holds back
 * appends: it falls behind and reads on from the store. Gap-free at the switch to live by construction: live
 * events are read from the log like history, strictly after the last position handled.
 */
final class LogSubscription implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(LogSubscription.class);
    private static final AtomicInteger NUMBER = new AtomicInteger();
    static final int PAGE = 1000;
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);

    private final StorageEngine engine;
    private final LogFilter filter;
    private final SubscriptionListener listener;
    private final Clock clock;
    private final Duration pollInterval;
    private final Consumer<LogSubscription> onEnd;
    private final Thread thread;
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile boolean closing;
    private volatile boolean ended;
    private volatile Position position;
    private volatile boolean live;
    private volatile Instant lastCaptured;
    private volatile long delivered;

    LogSubscription(StorageEngine engine, Position from, LogFilter filter, SubscriptionListener listener, Clock clock,
                    Duration pollInterval, Consumer<LogSubscription> onEnd) {
        this.engine = engine;
        this.position = from;
        this.filter = filter;
        this.listener = listener;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.onEnd = onEnd;
        this.thread = new Thread(this::run, "annals-subscription-" + NUMBER.incrementAndGet());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** New events may be in the log: read again now rather than at the next poll. Never blocks. */
    void wake() {
        if (woken.compareAndSet(false, true)) LockSupport.unpark(thread);
    }

    private void run() {
        Throwable failure = null;
        try {
            follow();
        } catch (Throwable t) {
            if (!closing) failure = t;
        }
        Thread.interrupted(); // an interrupt meant for a delivery must not fail the listener's clean-up
        ended = true;
        onEnd.accept(this);
        try {
            listener.onClosed(failure);
        } catch (RuntimeException e) {
            LOG.warn("a subscription listener failed while closing", e);
        }
    }

    private void follow() throws Exception {
        int failures = 0;
        while (!closing) {
            // cleared before the read: an append that lands after it wakes us again, so none is left unread
            woken.set(false);
            LogPage page;
            try {
                page = engine.readLog(position, PAGE);
                failures = 0;
            } catch (AnnalsException e) {
                if (!e.isTransient() || closing) throw e;
                failures++;
                long delay = Math.min(pollInterval.toMillis() << Math.min(failures, 10), MAX_RETRY_DELAY.toMillis());
                LOG.warn("a subscription could not read the log (attempt {}), retrying in {} ms: {}", failures, delay, e.toString());
                sleep(delay);
                continue;
            }
            boolean moved = !page.next().equals(position);
            if (moved) live = false;
            for (Event e : page.events()) {
                if (closing) return;
                lastCaptured = e.processedAt();
                if (filter.matches(e)) {
                    listener.onEvent(e);
                    delivered++;
                }
                position = e.position();
            }
            if (closing) return;
            position = page.next();
            if (moved) {
                listener.onProgress(position, false);
            } else {
                if (!live) {
                    live = true;
                    listener.onProgress(position, true);
                }
                park();
            }
        }
    }

    private void park() {
        long deadline = System.nanoTime() + pollInterval.toNanos();
        while (!woken.get() && !closing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            LockSupport.parkNanos(this, left);
        }
    }

    private void sleep(long millis) throws InterruptedException {
        if (!closing) TimeUnit.MILLISECONDS.sleep(millis);
    }

    @Override
    public Position position() {
        return position;
    }

    @Override
    public boolean isLive() {
        return live && !ended;
    }

    @Override
    public long delivered() {
        return delivered;
    }

    @Override
    public Duration lag() {
        Instant captured = lastCaptured;
        if (live || captured == null) return Duration.ZERO;
        Duration behind = Duration.between(captured, clock.instant());
        return behind.isNegative() ? Duration.ZERO : behind;
    }

    @Override
    public boolean isClosed() {
        return ended;
    }

    @Override
    public void close() {
        closing = true;
        if (Thread.currentThread() == thread) return;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
