package io.annals.store.rocksdb;

import io.annals.core.api.AnnalsException;
import io.annals.core.api.Appended;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.spi.PendingEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes (ADR 0004). Callers queue appends; the thread takes every append waiting (up to
 * {@code group.max-events} events), checks each against the store and the appends before it in the group
 * ({@link Group}), writes all accepted ones as one WriteBatch (synced per the {@code sync} option) and then
 * completes their futures on a separate completion thread, so that callbacks never delay the next group.
 * Expiry sweeps run on the same thread, each as a group of its own, so the writer stays the only writer.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int SWEEP_BATCH = 1000;

    private sealed interface Task permits Append, Sweep, Stop {}

    record Append(List<PendingEvent> events, ExpectedVersion expected, CompletableFuture<List<Appended>> done)
            implements Task {}

    static final class Sweep implements Task {
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        int removed;
    }

    private enum Stop implements Task { INSTANCE }

    private final Store store;
    private final WriterState state;
    private final Rows rows;
    private final Clock clock;
    private final RocksDbConfig config;
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final ExecutorService completer;
    private final Thread thread;
    private volatile boolean closing;

    GroupCommitWriter(Store store, WriterState state, Rows rows, Clock clock, RocksDbConfig config) {
        this.store = store;
        this.state = state;
        this.rows = rows;
        this.clock = clock;
        this.config = config;
        this.completer = Executors.newSingleThreadExecutor(r -> daemon(r, "annals-rocksdb-completer"));
        this.thread = daemon(this::run, "annals-rocksdb-writer");
        thread.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    CompletableFuture<List<Appended>> append(List<PendingEvent> events, ExpectedVersion expected) {
        Append task = new Append(List.copyOf(events), expected, new CompletableFuture<>());
        enqueue(task, task.done);
        return task.done;
    }

    /** Deletes every event expired by now; completes with how many were removed. */
    CompletableFuture<Integer> sweep() {
        Sweep task = new Sweep();
        enqueue(task, task.done);
        return task.done;
    }

    private void enqueue(Task task, CompletableFuture<?> done) {
        if (closing) {
            done.completeExceptionally(closed());
            return;
        }
        queue.add(task);
        // close() sets closing before it drains the queue: if we raced with it, whoever still holds the task fails it
        if (closing && queue.remove(task)) done.completeExceptionally(closed());
    }

    private static StoreUnavailableException closed() {
        return new StoreUnavailableException("the store is closed", null);
    }

    private void run() {
        List<Append> group = new ArrayList<>();
        while (true) {
            Task first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            Task next = first;
            int events = 0;
            while (next instanceof Append a) {
                group.add(a);
                events += a.events().size();
                next = events < config.groupMaxEvents() ? queue.poll() : null;
            }
            if (!group.isEmpty()) commit(group);
            group.clear();
            if (next instanceof Sweep s) sweep(s);
            if (next == Stop.INSTANCE) return;
        }
    }

    private void commit(List<Append> appends) {
        List<Runnable> completions = new ArrayList<>(appends.size());
        try (Group g = new Group(store, state, rows, clock.instant())) {
            for (Append a : appends) {
                try {
                    List<Appended> result = g.add(a.events(), a.expected());
                    completions.add(() -> a.done.complete(result));
                } catch (AnnalsException | IllegalArgumentException e) {
                    a.done.completeExceptionally(e); // refused alone: the rest of the group still commits
                }
            }
            if (!completions.isEmpty()) g.commit(config.syncEachWrite() ? store.syncedWrites : store.unsyncedWrites);
        } catch (RocksDBException | RuntimeException e) {
            LOG.error("a group of {} appends failed to write", appends.size(), e);
            StoreUnavailableException failure = e instanceof StoreUnavailableException u ? u
                    : new StoreUnavailableException("the append could not be written: " + e.getMessage(), e);
            for (Append a : appends) a.done.completeExceptionally(failure);
            return;
        }
        completer.execute(() -> completions.forEach(Runnable::run));
    }

    private void sweep(Sweep task) {
        boolean more;
        try (Group g = new Group(store, state, rows, clock.instant())) {
            Group.Swept swept = g.sweep(SWEEP_BATCH);
            g.commit(store.unsyncedWrites); // losing a sweep in a crash only means sweeping again
            task.removed += swept.removed();
            more = swept.more();
        } catch (RocksDBException | RuntimeException e) {
            LOG.error("the expiry sweep failed", e);
            task.done.completeExceptionally(e);
            return;
        }
        if (more && !closing) queue.add(task); // let waiting appends go first
        else completer.execute(() -> task.done.complete(task.removed));
    }

    /** Writes everything queued so far, then stops; later calls fail with {@link StoreUnavailableException}. */
    @Override
    public void close() {
        closing = true;
        queue.add(Stop.INSTANCE);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Task t : queue) {
            if (t instanceof Append a) a.done.completeExceptionally(closed());
            if (t instanceof Sweep s) s.done.completeExceptionally(closed());
        }
        queue.clear();
        completer.shutdown();
        try {
            completer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
