package io.annals.server.subscriptions;

import static org.assertj.core.api.Assertions.fail;

import io.annals.core.api.Event;
import io.annals.core.api.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** A listener that keeps everything it is given, for tests. */
final class Recorder implements DurableListener {
    record Delivery(int partition, Event event) {}

    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final List<SortedSet<Integer>> assignments = new CopyOnWriteArrayList<>();
    volatile String closedReason;

    @Override
    public void onAssigned(SortedSet<Integer> partitions) {
        assignments.add(partitions);
    }

    @Override
    public void onEvent(DurableConsumer consumer, int partition, Event event) {
        deliveries.add(new Delivery(partition, event));
    }

    @Override
    public void onClosed(String reason) {
        closedReason = reason;
    }

    List<String> ids() {
        return deliveries.stream().map(d -> d.event().id()).toList();
    }

    /** The last position delivered on each partition. */
    Map<Integer, Position> lastByPartition() {
        Map<Integer, Position> last = new TreeMap<>();
        for (Delivery d : deliveries) last.put(d.partition(), d.event().position());
        return last;
    }

    /** Acknowledges the last event delivered on every partition the consumer holds. */
    void ackAll(DurableConsumer consumer) {
        lastByPartition().forEach((partition, position) -> {
            if (consumer.partitions().contains(partition)) consumer.ack(partition, position);
        });
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("gave up waiting until " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting until " + what);
            }
        }
    }

    static List<String> idsOf(List<Event> events) {
        List<String> ids = new ArrayList<>();
        for (Event e : events) ids.add(e.id());
        return ids;
    }
}
