package io.annals.kafka.internal;

import io.annals.core.api.Checkpoints;
import io.annals.core.api.EventStore;
import io.annals.core.api.Lease;
import io.annals.core.api.Position;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's thread. It takes the log page by page from its place (read, decoded and made into records ahead of it
 * on another thread, {@link ReadAhead}), sends every record without waiting (up to {@code maxInFlight}
 * unacknowledged), and moves its place past a page only when Kafka has acknowledged every event of that page and of
 * every page before it. The place is stored as a checkpoint at most every
 * {@code checkpointInterval}. A failed send closes the producer and starts again from the acknowledged place with a
 * new one, after a back-off: events may be sent twice, never skipped.
 *
 * <p>It publishes only while it holds the relay's lease ({@code lease} in the space {@code relay:<name>} of the
 * store's key-values), which a thread of its own takes and renews every third of its time to live. Another relay of
 * the same name waits until the lease is free. One that cannot renew in time (cut off from the store, paused) stops
 * sending and storing its checkpoint while a third of the time to live is left, drops what is in flight and waits.
 */
public final class RelayLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayLoop.class);
    /** Pages read ahead while the relay is behind. */
    private static final int READ_AHEAD = 4;

    /** What the loop needs; built by {@code KafkaRelay.Builder}. */
    public record Config(String name, String checkpointName, TopicRouter router, int pageSize, int maxInFlight,
                         Duration pollInterval, Duration checkpointInterval, Duration closeTimeout, Backoff backoff,
                         Duration leaseTtl, Clock clock) {}

    private final EventStore store;
    private final Checkpoints checkpoints;
    private final Config config;
    private final Supplier<Producer<byte[], byte[]>> producers;
    private final RelayMeters meters;
    private final Lease lease;
    private final ScheduledExecutorService leaseKeeper;
    /** True while this relay holds the lease and has read its checkpoint: it publishes. */
    private volatile boolean publishing;
    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
    private final AtomicInteger inFlightEvents = new AtomicInteger();
    private volatile boolean running = true;
    private volatile Thread thread;
    private volatile Position acknowledged;
    private volatile Position stored;
    private volatile Instant oldestUnacknowledged;
    private volatile Producer<byte[], byte[]> producer;
    private Position readAfter;
    private final ReadAhead pages;
    /** The page after {@link #readAfter}, read and waiting for room among the sends in flight; null when none. */
    private ReadAhead.Page waiting;
    private long lastPut;

    /**
     * @param first     the first producer (made by the caller, so that a bad setting fails there and then)
     * @param producers makes a new producer after a failure
     * @param registry  where the meters go; null for none
     */
    public RelayLoop(EventStore store, Config config, Producer<byte[], byte[]> first,
                     Supplier<Producer<byte[], byte[]>> producers, MeterRegistry registry) {
        this.store = store;
        this.checkpoints = store.checkpoints();
        this.config = config;
        this.producer = first;
        this.producers = producers;
        this.meters = new RelayMeters(registry, config.name(), this::lagSeconds, this::depth);
        // pages no larger than maxInFlight, so that one always fits when nothing is in flight
        this.pages = new ReadAhead(store, config.router(), Math.min(config.pageSize(), config.maxInFlight()), READ_AHEAD);
        this.lease = new Lease(store.keyValues(), "relay:" + config.name(), "lease", config.leaseTtl());
        this.leaseKeeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "annals-kafka-relay-lease-" + config.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** Seconds between now and the capture of the oldest event read and not yet acknowledged (0 when none). */
    public double lagSeconds() {
        Instant oldest = oldestUnacknowledged;
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, config.clock().instant()).toNanos() / 1e9);
    }

    public int depth() {
        return inFlightEvents.get();
    }

    /** Everything up to this position has been acknowledged by Kafka (null before the checkpoint was read). */
    public Position acknowledged() {
        return acknowledged;
    }

    /** Whether this relay holds its lease and publishes (false while another relay of its name does). */
    public boolean isPublishing() {
        return publishing;
    }

    /** The last position stored as the checkpoint. */
    public Position stored() {
        return stored;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long renewEvery = Math.max(1, config.leaseTtl().toMillis() / 3);
        leaseKeeper.scheduleWithFixedDelay(this::renewLease, 0, renewEvery, TimeUnit.MILLISECONDS);
        try {
            while (running) {
                if (!lease.isSafe()) {
                    if (publishing) {
                        LOG.warn("kafka relay '{}' could not renew its lease in time: it stops publishing and waits",
                                config.name());
                        publishing = false;
                        rewind();
                    }
                    park(renewEvery * 1_000_000); // the lease keeper wakes the thread when it takes the lease
                } else if (!publishing) {
                    if (!loadCheckpoint()) break;
                    publishing = true;
                } else if (!step()) {
                    park(config.pollInterval().toNanos());
                }
            }
            finish();
        } finally {
            leaseKeeper.shutdown(); // no interrupt: a renewal in progress finishes
            pages.close();
            meters.close();
            releaseLease();
        }
    }

    /** Takes or renews the lease (on the lease keeper's thread); wakes the relay's thread when it took it. */
    private void renewLease() {
        boolean before = lease.isSafe();
        try {
            if (!lease.acquireOrRenew() && publishing)
                LOG.warn("kafka relay '{}' lost its lease to another relay of its name", config.name());
        } catch (RuntimeException e) {
            meters.error();
            LOG.warn("kafka relay '{}' cannot renew its lease, will retry: {}", config.name(), e.toString());
        }
        if (!before && lease.isSafe()) {
            Thread t = thread;
            if (t != null) LockSupport.unpark(t);
        }
    }

    private void releaseLease() {
        try {
            leaseKeeper.awaitTermination(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            lease.release(); // so that a waiting relay of this name takes over at once
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("kafka relay '{}' could not give its lease up, it runs out", config.name(), e);
        }
    }

    /** Stops the loop: it waits up to the close timeout for sends in flight, stores its place and returns. */
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
    }

    /**
     * Closes the producer from another thread, waking a send that waits for Kafka (after {@link #stop()}, when the
     * loop did not end in time). Sends in flight are abandoned: the next relay of this name sends them again.
     */
    public void abort() {
        Producer<byte[], byte[]> p = producer;
        if (p == null) return;
        try {
            p.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("aborting the producer failed", e);
        }
    }

    private boolean loadCheckpoint() {
        while (running) {
            try {
                Position p = checkpoints.get(config.checkpointName()).orElse(Position.start());
                acknowledged = stored = readAfter = p;
                config.backoff().reset();
                LOG.info("kafka relay '{}' holds its lease and starts after position {}", config.name(), p);
                return true;
            } catch (RuntimeException e) {
                meters.error();
                LOG.warn("kafka relay '{}' cannot read its checkpoint, retrying: {}", config.name(), e.toString());
                park(config.backoff().nextMillis() * 1_000_000);
            }
        }
        return false;
    }

    /**
     * One round: collect acknowledgements, take the next page and send it when there is room for it. False when
     * there was nothing to do (or no room: an acknowledgement wakes the thread).
     */
    private boolean step() {
        try {
            collect();
            if (producer == null) producer = producers.get();
            ReadAhead.Page page = waiting;
            waiting = null;
            if (page == null) {
                try {
                    page = pages.next(readAfter);
                } catch (RuntimeException e) {
                    meters.error();
                    LOG.warn("kafka relay '{}' cannot read the log, retrying: {}", config.name(), e.toString());
                    park(config.backoff().nextMillis() * 1_000_000);
                    return true;
                }
                if (page.size() == 0 && page.next().equals(readAfter)) {
                    checkpoint(false);
                    return false;
                }
            }
            int inFlightNow = inFlightEvents.get();
            if (inFlightNow > 0 && inFlightNow + page.size() > config.maxInFlight()) {
                waiting = page;
                return false;
            }
            send(page);
            readAfter = page.next();
            return true;
        } catch (RuntimeException e) {
            // a send failed (now or in a callback): start again from what Kafka acknowledged, with a new producer
            meters.error();
            LOG.warn("kafka relay '{}' failed to publish; retrying from position {}: {}", config.name(), acknowledged,
                    e.toString());
            rewind();
            park(config.backoff().nextMillis() * 1_000_000);
            return true;
        }
    }

    private void send(ReadAhead.Page page) {
        Batch b = new Batch(page.next(), page.size(), page.firstCapture(), Thread.currentThread());
        inFlight.add(b);
        inFlightEvents.addAndGet(b.size);
        if (oldestUnacknowledged == null) oldestUnacknowledged = page.firstCapture();
        for (ProducerRecord<byte[], byte[]> r : page.records()) {
            producer.send(r, b);
            // a send can block (up to max.block.ms) while Kafka is unreachable: do not wait that long for each one
            if (b.failure != null) throw new IllegalStateException("a send failed: " + b.failure, b.failure);
            if (!running) {
                b.failure = new IllegalStateException("the relay is closing");
                return;
            }
        }
    }

    /** Moves the acknowledged place past every leading batch Kafka fully acknowledged; throws a batch's failure. */
    private void collect() {
        boolean moved = false;
        for (Batch b = inFlight.peek(); b != null && b.isDone(); b = inFlight.peek()) {
            if (b.failure != null) throw new IllegalStateException("a send was not acknowledged: " + b.failure, b.failure);
            inFlight.poll();
            inFlightEvents.addAndGet(-b.size);
            meters.published(b.size);
            acknowledged = b.next;
            moved = true;
        }
        if (moved) {
            config.backoff().reset();
            Batch head = inFlight.peek();
            oldestUnacknowledged = head == null ? null : head.firstCapture;
            // a head batch without events (expired entries only) is done at once and collected next round
            checkpoint(false);
        }
    }

    private void checkpoint(boolean now) {
        Position p = acknowledged;
        // a relay that may have lost its lease leaves the checkpoint to the relay that has it
        if (p == null || p.equals(stored) || !lease.isSafe()) return;
        long t = System.nanoTime();
        if (!now && t - lastPut < config.checkpointInterval().toNanos()) return;
        try {
            checkpoints.put(config.checkpointName(), p);
            stored = p;
            lastPut = t;
        } catch (RuntimeException e) {
            meters.error();
            LOG.warn("kafka relay '{}' cannot store its checkpoint {}, will retry: {}", config.name(), p, e.toString());
            lastPut = t;
        }
    }

    private void rewind() {
        closeProducer(Duration.ZERO);
        inFlight.clear();
        inFlightEvents.set(0);
        // oldestUnacknowledged stays: those events are still unpublished, so the lag keeps growing while Kafka is down
        readAfter = acknowledged;
        waiting = null;
        pages.clear();
    }

    private void finish() {
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        try {
            while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                collect();
                if (!inFlight.isEmpty()) LockSupport.parkNanos(this, Math.min(10_000_000, deadline - System.nanoTime()));
            }
        } catch (RuntimeException e) {
            LOG.warn("kafka relay '{}' stops with unacknowledged sends (they will be sent again): {}", config.name(), e.toString());
        }
        if (publishing) checkpoint(true);
        publishing = false;
        closeProducer(Duration.ofMillis(Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
        LOG.info("kafka relay '{}' stopped at position {}", config.name(), stored);
    }

    private void closeProducer(Duration timeout) {
        if (producer == null) return;
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            LOG.debug("closing the producer failed", e);
        }
        producer = null;
    }

    private void park(long nanos) {
        if (running && nanos > 0) LockSupport.parkNanos(this, nanos);
    }

    /** The sends of one page: done when every one was acknowledged or one failed. */
    private static final class Batch implements Callback {
        final Position next;
        final int size;
        final Instant firstCapture;
        final Thread waiter;
        final AtomicInteger remaining;
        volatile Exception failure;

        Batch(Position next, int size, Instant firstCapture, Thread waiter) {
            this.next = next;
            this.size = size;
            this.firstCapture = firstCapture;
            this.waiter = waiter;
            this.remaining = new AtomicInteger(size);
        }

        boolean isDone() {
            return remaining.get() == 0 || failure != null;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null && failure == null) failure = exception;
            if (remaining.decrementAndGet() == 0 || exception != null) LockSupport.unpark(waiter);
        }
    }
}
