package io.annals.server.subscriptions;

import io.annals.core.api.Position;
import java.time.Duration;
import java.util.List;
import java.util.SortedSet;

/**
 * A snapshot of a durable subscription: its spec, each partition's checkpoint (the last position acknowledged, or
 * passed over with nothing pending), holder and lag, and the consumers connected.
 */
public record SubscriptionStatus(String name, SubscriptionSpec spec, List<PartitionStatus> partitions,
                                 List<ConsumerStatus> consumers) {

    /**
     * @param consumer the consumer holding the partition, or null when no consumer is connected
     * @param pending  events delivered and not yet acknowledged
     * @param lag      how far the partition is behind the log, as time: the age of the oldest pending event, or the
     *                 lag of its reader; with no consumer, the age of the first event after the checkpoint (an upper
     *                 bound, as that event may belong to another partition or be filtered out)
     */
    public record PartitionStatus(int partition, Position checkpoint, String consumer, int pending, Duration lag) {}

    public record ConsumerStatus(String consumer, SortedSet<Integer> partitions, long delivered) {}

    /** The largest lag of any partition. */
    public Duration lag() {
        return partitions.stream().map(PartitionStatus::lag).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Events delivered and not acknowledged, over all partitions. */
    public int pending() {
        return partitions.stream().mapToInt(PartitionStatus::pending).sum();
    }
}
