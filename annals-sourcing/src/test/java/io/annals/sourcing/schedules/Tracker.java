package io.annals.sourcing.schedules;

import io.annals.sourcing.api.Recorded;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The handler every schedule runs: it notes, per aggregate, the numbers of the events it handled in the order they
 * came (repeats included), and can be told to fail once on one event.
 */
public final class Tracker implements Consumer<Recorded<Shipment>> {
    private final Map<String, List<Integer>> handled = new LinkedHashMap<>();
    private final Set<String> ids = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();
    private String failOn;

    @Override
    public synchronized void accept(Recorded<Shipment> event) {
        String aggregate = event.aggregate().id();
        int seq = event.event().seq();
        if (event.id() == null) problems.add("no id on " + aggregate + "#" + seq);
        if (!"delivery".equals(event.metadata().get("via"))) problems.add("no delivery middleware on " + aggregate + "#" + seq);
        if ((aggregate + "#" + seq).equals(failOn)) {
            failOn = null;
            throw new IllegalStateException("the handler fails on " + aggregate + "#" + seq + " (once, on purpose)");
        }
        handled.computeIfAbsent(aggregate, k -> new ArrayList<>()).add(seq);
        ids.add(event.id());
    }

    /** Makes the handler throw once, on event {@code seq} of {@code aggregate}. */
    public synchronized void failOnce(String aggregate, int seq) {
        failOn = aggregate + "#" + seq;
    }

    /** The numbers handled for {@code aggregate}, in the order handled, repeats included. */
    public synchronized List<Integer> handled(String aggregate) {
        return List.copyOf(handled.getOrDefault(aggregate, List.of()));
    }

    public synchronized Set<String> aggregates() {
        return Set.copyOf(handled.keySet());
    }

    public synchronized int distinctIds() {
        return ids.size();
    }

    /** What the handler saw that it should not have (an event without id, one that skipped the middleware). */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }
}
