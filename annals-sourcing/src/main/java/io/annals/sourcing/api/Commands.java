package io.annals.sourcing.api;

import io.annals.core.api.AppendResult;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.WrongExpectedVersionException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs commands against aggregates of one type: each loads the aggregate's state (its history folded in causal
 * order), lets a {@link Decision} choose the events, and appends them through the append middleware chain expecting
 * the stream version it loaded. Commands for one aggregate run one at a time, in the order sent; commands for
 * different aggregates run in parallel on the executor. When the append finds the stream moved on (another process
 * appended meanwhile) the command is loaded and decided again, up to {@code maxAttempts} times in all.
 * <pre>{@code
 * Commands<Parcel, ParcelEvent> parcels = sourcing.commands(Parcel.FOLD).executor(pool).build();
 * parcels.send("p1", parcel -> List.of(new LoadedOntoTruck("truck-7"))).join();
 * }</pre>
 * Thread-safe. Decisions must be free of side effects: one may run more than once.
 */
public final class Commands<S, E> {
    private final Sourcing sourcing;
    private final Fold<S, E> fold;
    private final Executor executor;
    private final Clock clock;
    private final int maxAttempts;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final AtomicLong retries = new AtomicLong();

    private Commands(Sourcing sourcing, Fold<S, E> fold, Executor executor, Clock clock, int maxAttempts) {
        this.sourcing = sourcing;
        this.fold = fold;
        this.executor = executor;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    static <S, E> Builder<S, E> builder(Sourcing sourcing, Fold<S, E> fold) {
        return new Builder<>(sourcing, fold);
    }

    /**
     * Chooses the events a command appends, from the aggregate's current state; none to do nothing. Throwing
     * refuses the command: nothing is appended and {@link #send} fails with what was thrown.
     */
    @FunctionalInterface
    public interface Decision<S, E> {
        List<? extends E> decide(S state);
    }

    /**
     * Runs {@code decision} for aggregate {@code id} after the commands sent to it before. Completes with the
     * append's result (no entries when the decision chose no events), or fails with what the decision threw, a
     * store error, or a {@link WrongExpectedVersionException} after {@code maxAttempts} conflicts.
     */
    public CompletableFuture<AppendResult> send(String id, Decision<S, E> decision) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(decision, "decision");
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        CompletableFuture<Void> mine = tails.compute(id, (key, tail) -> {
            CompletableFuture<Void> before = tail == null ? CompletableFuture.completedFuture(null) : tail;
            // run never throws; handle() still keeps one refused task (executor shut down) from stalling the rest
            return before.handle((x, e) -> null).thenRunAsync(() -> run(id, decision, result), executor);
        });
        mine.whenComplete((x, e) -> {
            if (e != null) result.completeExceptionally(e);
            // the last command of an aggregate removes its entry, so that the map holds only aggregates with work
            tails.remove(id, mine);
        });
        return result;
    }

    /** Blocking form of {@link #send}; a failure is thrown as it is. */
    public AppendResult execute(String id, Decision<S, E> decision) {
        try {
            return send(id, decision).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** How many times a command was decided again after a conflict, since this was built. */
    public long retries() {
        return retries.get();
    }

    private void run(String id, Decision<S, E> decision, CompletableFuture<AppendResult> result) {
        try {
            for (int attempt = 1; ; attempt++) {
                Sourcing.Loaded<S> loaded = sourcing.loadCurrent(fold, id);
                List<? extends E> events = decision.decide(loaded.state());
                if (events == null || events.isEmpty()) {
                    result.complete(new AppendResult(List.of()));
                    return;
                }
                Events.Batch batch = sourcing.events().batch();
                Instant now = clock.instant();
                for (E e : events) batch.add(id, e, At.at(now));
                ExpectedVersion expected = loaded.version() == 0 ? ExpectedVersion.noStream()
                        : ExpectedVersion.exactly(loaded.version());
                try {
                    result.complete(batch.dispatch(expected));
                    return;
                } catch (WrongExpectedVersionException conflict) {
                    if (attempt >= maxAttempts) throw conflict;
                    retries.incrementAndGet();
                }
            }
        } catch (Throwable t) {
            result.completeExceptionally(t);
        }
    }

    /** Sets up {@link Commands}; an executor is required. */
    public static final class Builder<S, E> {
        private final Sourcing sourcing;
        private final Fold<S, E> fold;
        private Executor executor;
        private Clock clock = Clock.systemUTC();
        private int maxAttempts = 10;

        private Builder(Sourcing sourcing, Fold<S, E> fold) {
            this.sourcing = sourcing;
            this.fold = fold;
        }

        /** Where commands run (they block on the store): a pool sized for the store, owned by the caller. */
        public Builder<S, E> executor(Executor pool) {
            this.executor = Objects.requireNonNull(pool, "executor");
            return this;
        }

        /** The clock that stamps the events commands append (default: system UTC). */
        public Builder<S, E> clock(Clock time) {
            this.clock = Objects.requireNonNull(time, "clock");
            return this;
        }

        /** How many times a command is loaded and decided in all before a conflict is given up (default 10). */
        public Builder<S, E> maxAttempts(int attempts) {
            if (attempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, not " + attempts);
            this.maxAttempts = attempts;
            return this;
        }

        public Commands<S, E> build() {
            if (executor == null)
                throw new IllegalStateException("commands need an executor: call executor(...) before build()");
            return new Commands<>(sourcing, fold, executor, clock, maxAttempts);
        }
    }
}
