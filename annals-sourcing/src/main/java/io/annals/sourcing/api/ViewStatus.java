package io.annals.sourcing.api;

import io.annals.core.api.Position;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a {@link View} instance stands.
 *
 * @param state       what this instance is doing
 * @param checkpoint  the position of the log up to which the view's entries are committed (null when unknown: not
 *                    read yet, or the store failed)
 * @param generation  the generation of the entries: 0 at first, one more after each {@link View#rebuild()}
 * @param applied     how many events this instance applied and committed since it started
 * @param live        true when the view had caught up with the log at its last read
 * @param lag         how far behind the log the view is (see {@code Subscription.lag}); zero unless running
 * @param failure     why the view stopped or last failed to run (null if it did not, or ran well since)
 * @param attempts    how many runs failed in a row (0 once a run gets through a read of the log)
 * @param nextAttempt when this instance tries again ({@link State#RETRYING}), else null
 */
public record ViewStatus(State state, Position checkpoint, long generation, long applied, boolean live, Duration lag,
                         Throwable failure, int attempts, Instant nextAttempt) {

    /** A status without failed attempts, as before views retried. */
    public ViewStatus(State state, Position checkpoint, long generation, long applied, boolean live, Duration lag,
                      Throwable failure) {
        this(state, checkpoint, generation, applied, live, lag, failure, 0, null);
    }

    public enum State {
        /** Waiting for the view's lease: another instance runs it, or the store cannot be reached. */
        WAITING,
        /** This instance holds the lease and applies events. */
        RUNNING,
        /**
         * A run failed (a handler, decoding or the delivery chain threw, or the store failed): this instance tries
         * again from the checkpoint at {@link #nextAttempt()}, waiting longer after each failure in a row (see
         * {@link View.Builder#retry}).
         */
        RETRYING,
        /** A run failed and the view does not retry ({@link View.Builder#noRetry()}): stopped until started again. */
        FAILED,
        /** Closed. */
        CLOSED
    }
}
