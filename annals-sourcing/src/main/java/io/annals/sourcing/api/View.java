package io.annals.sourcing.api;

import io.annals.core.api.AnnalsException;
import io.annals.core.api.Event;
import io.annals.core.api.KeyValues;
import io.annals.core.api.Lease;
import io.annals.core.api.LogFilter;
import io.annals.core.api.Position;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import io.annals.sourcing.internal.PendingWrites;
import io.annals.sourcing.api.ViewLayout.Checkpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A projection: a {@link ViewHandler} applied to the events of one aggregate type, its entries kept in the store's
 * {@link KeyValues} together with its checkpoint (the log position it has applied up to).
 * <pre>{@code
 * View view = sourcing.view("bulbs-by-room", LightbulbEvent.class, (event, entries) -> ...).start();
 * Optional<String> room = view.data().getString("rooms", "bulb-1");
 * }</pre>
 * <ul>
 *   <li>The writes of each event, or of a few events (up to {@link Builder#batchSize}), are committed in one atomic
 *   batch with the checkpoint after them, so a restart at any moment never applies an event twice nor skips one:
 *   the view resumes from its checkpoint.</li>
 *   <li>One instance runs a view at a time, across every process sharing the store: the one holding the view's
 *   lease (a key with a time to live, renewed every third of it). The others wait in {@link ViewStatus.State#WAITING}
 *   and take over, from the checkpoint, when the lease is given up or runs out. An instance that cannot renew in
 *   time stops writing before the lease can pass to another (a pause longer than a third of the lease's time to
 *   live just between that check and a write is the one case that could let two instances write).</li>
 *   <li>A failed run (a handler that throws, or the store failing) is retried from the checkpoint after a backoff
 *   ({@link Builder#retry}: 1 s at first, doubling up to 60 s; {@link ViewStatus.State#RETRYING} meanwhile, the cause,
 *   the failures in a row and the next attempt in {@link #status()}); the events before the failing one are committed,
 *   the failing one is not, so nothing is applied twice. A run that gets through a read of the log resets the backoff.
 *   A handler's failure gives the lease up while waiting, so that another instance may run the view; a store failure
 *   keeps it. With {@link Builder#noRetry()}, a handler that throws stops the view ({@link ViewStatus.State#FAILED})
 *   until it is started again, and a store failure is retried every third of the lease's time to live.</li>
 *   <li>{@link #rebuild()} starts a new, empty generation of the entries from the start of the log and drops the
 *   old one.</li>
 * </ul>
 * Thread-safe. Closing the view does not close the store.
 */
public final class View implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(View.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String LEASE = "lease";

    private final Sourcing sourcing;
    private final String name;
    private final Class<Object> events;
    private final ViewHandler<Object> handler;
    private final KeyValues store;
    private final int batchSize;
    private final Lease lease;
    private final ViewLayout layout;
    private final ScheduledExecutorService runner;
    private final Duration firstRetry; // null: no retry
    private final Duration maxRetry;

    private volatile ViewStatus.State state = ViewStatus.State.WAITING;
    private volatile Throwable failure;
    private volatile Run current; // changed only under the lock
    private volatile Checkpoint committed;
    private volatile long applied;
    private volatile boolean live;
    private volatile int attempts; // failed runs in a row
    private volatile Instant nextAttempt;
    private long retryAt; // System.nanoTime() of the next attempt, under the lock
    private boolean leaseGivenUp; // on a failure, until taken again; under the lock

    @SuppressWarnings("unchecked")
    private View(Builder<?> b) {
        this.sourcing = b.sourcing;
        this.name = b.name;
        this.events = (Class<Object>) b.events;
        this.handler = (ViewHandler<Object>) b.handler;
        this.store = b.store != null ? b.store : sourcing.store().keyValues();
        this.batchSize = b.batchSize;
        this.layout = new ViewLayout(store, name);
        this.lease = new Lease(store, layout.meta, LEASE, b.leaseTtl);
        this.firstRetry = b.firstRetry;
        this.maxRetry = b.maxRetry;
        this.runner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "annals-view-" + name);
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, b.leaseTtl.toMillis() / 3);
        runner.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
    }

    public String name() {
        return name;
    }

    /** Where this instance stands; the checkpoint is read from the store unless this instance runs the view. */
    public ViewStatus status() {
        Run run = current;
        Subscription s = run == null ? null : run.subscription;
        Checkpoint c = committed;
        if (run == null) {
            try {
                c = layout.readCheckpoint();
            } catch (RuntimeException e) {
                c = null;
            }
        }
        ViewStatus.State now = state;
        return new ViewStatus(now, c == null ? null : c.position(), c == null ? 0 : c.generation(), applied,
                run != null && live, s == null ? Duration.ZERO : s.lag(), failure, attempts,
                now == ViewStatus.State.RETRYING ? nextAttempt : null);
    }

    /** The view's committed entries, of its current generation; any instance may read them, running or not. */
    public ViewData data() {
        long generation = layout.readCheckpoint().generation();
        return new ViewData() {
            @Override
            public Optional<byte[]> get(String space, String key) {
                return store.get(layout.space(generation, space), key);
            }

            @Override
            public List<KeyValues.Entry> scan(String space, String after, int limit) {
                return store.scan(layout.space(generation, space), after, limit);
            }
        };
    }

    /**
     * Applies every event again from the start of the log to a new, empty generation of the entries (readers see it
     * fill up), then drops the old generation's entries; returns once they are dropped.
     * @throws IllegalStateException unless this instance runs the view ({@link ViewStatus.State#RUNNING})
     */
    public void rebuild() {
        long old;
        synchronized (this) {
            if (state != ViewStatus.State.RUNNING)
                throw new IllegalStateException("view " + name + " is " + state + " here: rebuild it on the instance"
                        + " that runs it (its status is RUNNING)");
            stop();
            old = layout.readCheckpoint().generation();
            layout.startGeneration(old + 1);
            applied = 0;
            run(false);
        }
        layout.drop(old);
    }

    /**
     * Stops applying events, and retrying, and gives the lease up; the entries and the checkpoint stay. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state == ViewStatus.State.CLOSED) return;
            state = ViewStatus.State.CLOSED;
            stop();
        }
        runner.shutdownNow();
        releaseLease();
    }

    /**
     * Renews or takes the lease and starts or stops running accordingly; when retrying, starts only once the attempt
     * is due. On the runner thread.
     */
    private synchronized void tick() {
        if (state == ViewStatus.State.CLOSED || state == ViewStatus.State.FAILED) return;
        boolean due = state != ViewStatus.State.RETRYING || System.nanoTime() - retryAt >= 0;
        if (!due && leaseGivenUp) return; // given up on a handler's failure: not taken back before the attempt
        boolean held;
        try {
            held = lease.acquireOrRenew();
        } catch (RuntimeException e) {
            if (due && state == ViewStatus.State.RETRYING) {
                failed(e); // the attempt failed: wait longer
            } else {
                failure = e;
                log.debug("view {}: store failed, will retry", name, e);
            }
            return;
        }
        if (!held) {
            if (current != null) {
                log.info("view {}: lease lost, waiting", name);
                stop();
            }
            state = ViewStatus.State.WAITING;
            return;
        }
        leaseGivenUp = false;
        if (current != null || !due) return;
        try {
            run(true);
        } catch (RuntimeException e) {
            if (firstRetry != null) {
                failed(e);
            } else {
                failure = e;
                log.debug("view {}: store failed, will retry", name, e);
            }
        }
    }

    /** Subscribes from the stored checkpoint. Holds the lock. */
    private void run(boolean dropLeftovers) {
        Checkpoint c = layout.readCheckpoint();
        committed = c;
        Run run = new Run(c);
        run.subscription = sourcing.store().subscribe(c.position(),
                LogFilter.all().aggregateTypes(sourcing.domain().aggregateType(events)), run);
        current = run;
        state = ViewStatus.State.RUNNING;
        if (attempts == 0) failure = null; // else kept until the run does well
        if (dropLeftovers && c.generation() > 0) // a rebuild may have ended before it dropped the old generation
            CompletableFuture.runAsync(() -> layout.drop(c.generation() - 1)).exceptionally(e -> {
                log.warn("view {}: could not drop generation {}", name, c.generation() - 1, e);
                return null;
            });
    }

    /** Ends the running subscription, if any. Holds the lock. */
    private void stop() {
        Run run = current;
        current = null;
        if (run != null) {
            run.stopping = true;
            run.subscription.close();
        }
    }

    /** A run's subscription ended by itself. On the runner thread. */
    private synchronized void ended(Run run, Throwable why) {
        if (current != run) return;
        current = null;
        failed(why);
    }

    /**
     * A run ended, or could not start, because of {@code why}: wait for the lease again, retry after a backoff, or
     * stop. Holds the lock, on the runner thread.
     */
    private void failed(Throwable why) {
        failure = why;
        boolean storeFailed = why instanceof AnnalsException a && a.isTransient();
        if (why instanceof LeaseLost || storeFailed && firstRetry == null) {
            log.info("view {}: stopped ({}), resuming from its checkpoint", name, why.toString());
            state = ViewStatus.State.WAITING;
            return;
        }
        if (!storeFailed) { // another instance may do better meanwhile
            releaseLease();
            leaseGivenUp = true;
        }
        if (firstRetry == null) {
            log.error("view {}: stopped by a failure; fix it and start the view again", name, why);
            state = ViewStatus.State.FAILED;
            return;
        }
        int n = ++attempts;
        Duration delay = firstRetry;
        for (int i = 1; i < n && delay.compareTo(maxRetry) < 0; i++) delay = delay.multipliedBy(2);
        if (delay.compareTo(maxRetry) > 0) delay = maxRetry;
        log.warn("view {}: failed {} time(s) in a row, trying again from its checkpoint in {}", name, n, delay, why);
        retryAt = System.nanoTime() + delay.toNanos();
        nextAttempt = Instant.now().plus(delay);
        state = ViewStatus.State.RETRYING;
        runner.schedule(this::tick, delay.toNanos(), TimeUnit.NANOSECONDS); // the runner is open: not CLOSED yet
    }

    /** A run got through a read of the log, or committed: a later failure starts the backoff over. */
    private void ranWell(Run run) {
        if (attempts != 0 && !run.stopping) { // not current == run: it may run before run() sets current
            attempts = 0;
            failure = null;
        }
    }

    private void releaseLease() {
        try {
            lease.release();
        } catch (RuntimeException e) {
            log.debug("view {}: could not give the lease up, it runs out", name, e);
        }
    }


    /** The lease is not safely held any more: stop writing, wait, resume from the checkpoint. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost(String view) {
            super("view " + view + ": the lease could not be renewed in time", null, false, false);
        }
    }

    /** Carries a handler's checked exception through the delivery chain. */
    private static final class HandlerFailed extends RuntimeException {
        HandlerFailed(Exception cause) {
            super(cause);
        }
    }

    /** One subscription from a checkpoint: its pending writes and where it stands. */
    private final class Run implements SubscriptionListener, ViewWriter {
        private final long generation;
        private final PendingWrites pending = new PendingWrites();
        private final Set<String> registered = new HashSet<>();
        private final SubscriptionListener decoding = sourcing.decoding(events, this::apply);
        private Position handled;
        private Position committedAt;
        private int batched;
        volatile boolean stopping;
        volatile Subscription subscription;

        Run(Checkpoint from) {
            this.generation = from.generation();
            this.handled = from.position();
            this.committedAt = from.position();
        }

        @Override
        public void onEvent(Event event) throws Exception {
            if (!lease.isSafe()) throw new LeaseLost(name);
            try {
                decoding.onEvent(event);
            } catch (Exception | Error e) {
                pending.discardEvent();
                try {
                    flush(handled); // the events before this one stay applied
                } catch (RuntimeException f) {
                    e.addSuppressed(f);
                }
                if (e instanceof HandlerFailed h) throw (Exception) h.getCause();
                throw e;
            }
            pending.keepEvent();
            handled = event.position();
            if (++batched >= batchSize) flush(handled);
        }

        private void apply(Recorded<Object> event) {
            try {
                handler.apply(event, this);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new HandlerFailed(e);
            }
        }

        @Override
        public void onProgress(Position position, boolean caughtUp) {
            flush(position);
            live = caughtUp;
            ranWell(this);
        }

        @Override
        public void onClosed(Throwable failure) {
            if (failure == null && stopping) return;
            Throwable why = failure != null ? failure
                    : new StoreUnavailableException("the subscription of view " + name + " was closed", null);
            try {
                runner.execute(() -> ended(this, why));
            } catch (RejectedExecutionException closed) {
                // the view is closed
            }
        }

        private void flush(Position position) {
            if (pending.isEmpty() && position.equals(committedAt)) return;
            if (!lease.isSafe()) throw new LeaseLost(name);
            KeyValues.Batch batch = pending.addTo(new KeyValues.Batch());
            List<String> added = pending.spaces().stream().filter(s -> !registered.contains(s)).toList();
            layout.commit(batch, new Checkpoint(generation, position), added);
            store.write(batch);
            registered.addAll(added);
            pending.clear();
            committedAt = position;
            committed = new Checkpoint(generation, position);
            applied += batched;
            batched = 0;
            ranWell(this);
        }

        @Override
        public Optional<byte[]> get(String space, String key) {
            return pending.get(store, layout.space(generation, space), key);
        }

        @Override
        public List<KeyValues.Entry> scan(String space, String after, int limit) {
            return pending.scan(store, layout.space(generation, space), after, limit);
        }

        @Override
        public void put(String space, String key, byte[] value) {
            Objects.requireNonNull(key, "key");
            pending.put(layout.space(generation, space), key, Objects.requireNonNull(value, "value").clone());
        }

        @Override
        public void delete(String space, String key) {
            pending.delete(layout.space(generation, space), Objects.requireNonNull(key, "key"));
        }
    }

    /** Sets a view up; {@link #start()} starts it. */
    public static final class Builder<E> {
        private final Sourcing sourcing;
        private final String name;
        private final Class<E> events;
        private final ViewHandler<E> handler;
        private int batchSize = 20;
        private Duration leaseTtl = Duration.ofSeconds(10);
        private Duration firstRetry = Duration.ofSeconds(1);
        private Duration maxRetry = Duration.ofSeconds(60);
        private KeyValues store;

        Builder(Sourcing sourcing, String name, Class<E> events, ViewHandler<E> handler) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches())
                throw new IllegalArgumentException("a view's name is 1 to 64 letters, digits, '.', '_' or '-', not '"
                        + name + "'");
            this.sourcing = sourcing;
            this.name = name;
            this.events = events;
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * At most this many events' writes go in one batch with the checkpoint (default 20); a batch is also
         * committed after each read of the log, so a quiet log never leaves writes waiting. On Cassandra a batch that
         * spans spaces may be at most 50 KiB (its {@code batch_size_fail_threshold}; a bigger one fails the view):
         * lower this when a handler writes much per event.
         */
        public Builder<E> batchSize(int events) {
            if (events < 1 || events > 10_000)
                throw new IllegalArgumentException("a view's batch size must be 1 to 10,000 events, not " + events);
            this.batchSize = events;
            return this;
        }

        /**
         * How long the view's lease lasts unless renewed (default 10 s, whole seconds, at least 1 s): how long a
         * crashed instance holds the view up before another takes over. Renewed every third of it.
         */
        public Builder<E> leaseTtl(Duration ttl) {
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.toNanos() % 1_000_000_000L != 0)
                throw new IllegalArgumentException("a lease's time to live must be whole seconds, at least 1 s, not "
                        + ttl);
            this.leaseTtl = ttl;
            return this;
        }

        /**
         * How a failed run is retried (default: after 1 s, doubling after each failure in a row up to 60 s): from the
         * checkpoint, after {@code first}, then twice as long each time up to {@code max}, until a run gets through a
         * read of the log. Meanwhile the view is {@link ViewStatus.State#RETRYING}.
         */
        public Builder<E> retry(Duration first, Duration max) {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(max, "max");
            if (first.isNegative() || first.isZero() || max.compareTo(first) < 0)
                throw new IllegalArgumentException("a view retries after a positive delay, doubling up to a maximum at"
                        + " least as long (e.g. retry(1 s, 60 s)), not after " + first + " up to " + max
                        + "; noRetry() stops it at the first failure");
            this.firstRetry = first;
            this.maxRetry = max;
            return this;
        }

        /**
         * A handler that throws stops the view ({@link ViewStatus.State#FAILED}) until it is started again; a store
         * failure is still waited out (every third of the lease's time to live).
         */
        public Builder<E> noRetry() {
            this.firstRetry = null;
            this.maxRetry = null;
            return this;
        }

        /** Keeps the view's entries, checkpoint and lease in {@code store} instead of the event store's key-values. */
        public Builder<E> keyValues(KeyValues store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Starts the view: it runs as soon as it has the lease (see {@link View#status()}). */
        public View start() {
            return new View(this);
        }
    }
}
