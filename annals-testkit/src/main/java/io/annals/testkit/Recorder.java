package io.annals.testkit;

import io.annals.core.api.Event;
import io.annals.core.api.Position;
import io.annals.core.api.SubscriptionListener;
import java.util.ArrayList;
import java.util.List;

/** A listener that keeps what it was told, for {@link SubscriptionContract}. Thread-safe to read from the test. */
class Recorder implements SubscriptionListener {
    private final List<Event> events = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private Position progress;

    @Override
    public void onEvent(Event event) throws Exception {
        synchronized (this) {
            seen();
            events.add(event);
        }
    }

    @Override
    public synchronized void onProgress(Position position, boolean caughtUp) {
        seen();
        progress = position;
    }

    @Override
    public synchronized void onClosed(Throwable failure) {
        seen();
        closed.add(failure == null ? "closed" : "failed");
        if (failure != null) failures.add(failure);
    }

    private void seen() {
        if (!threads.contains(Thread.currentThread())) threads.add(Thread.currentThread());
    }

    synchronized int count() {
        return events.size();
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized Position progress() {
        return progress;
    }

    synchronized List<String> closedWith() {
        return List.copyOf(closed);
    }

    synchronized List<Throwable> failures() {
        return List.copyOf(failures);
    }

    synchronized List<Thread> threads() {
        return List.copyOf(threads);
    }

    synchronized Thread thread() {
        return threads.get(0);
    }
}
