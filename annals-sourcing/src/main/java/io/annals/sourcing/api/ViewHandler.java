package io.annals.sourcing.api;

/**
 * Applies one event to a view. Called on the view's own thread, one event at a time, in capture order (each
 * aggregate's events in the order they were appended), every event exactly once per generation of the view's
 * entries, as long as all its effects go through {@code view}. Throwing ends the view's run: the event's writes are
 * discarded and the checkpoint stays before it, so the view resumes with this event when it tries again (after a
 * backoff, see {@link View.Builder#retry}) or, with {@link View.Builder#noRetry()}, when it is started again.
 */
@FunctionalInterface
public interface ViewHandler<E> {

    void apply(Recorded<E> event, ViewWriter view) throws Exception;
}
