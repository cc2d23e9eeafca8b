package io.annals.sourcing.api;

import io.annals.core.api.Position;
import java.time.Duration;

/**
 * Where a {@link View} instance stands.
 *
 * @param state      what this instance is doing
 * @param checkpoint the position of the log up to which the view's entries are committed (null when unknown: not
 *                   read yet, or the store failed)
 * @param generation the generation of the entries: 0 at first, one more after each {@link View#rebuild()}
 * @param applied    how many events this instance applied and committed since it started
 * @param live       true when the view had caught up with the log at its last read
 * @param lag        how far behind the log the view is (see {@code Subscription.lag}); zero unless running
 * @param failure    why the view stopped or last failed to run (null if it did not)
 */
public record ViewStatus(State state, Position checkpoint, long generation, long applied, boolean live, Duration lag,
                         Throwable failure) {

    public enum State {
        /** Waiting for the view's lease: another instance runs it, or the store cannot be reached. */
        WAITING,
        /** This instance holds the lease and applies events. */
        RUNNING,
        /** A handler (or decoding, or the delivery chain) threw: stopped until started again. */
        FAILED,
        /** Closed. */
        CLOSED
    }
}
