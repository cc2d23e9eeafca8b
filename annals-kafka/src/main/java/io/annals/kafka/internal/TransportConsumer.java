package io.annals.kafka.internal;

import io.annals.core.api.Event;
import io.annals.core.api.NewEvent;
import io.annals.sourcing.api.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumption of a {@code KafkaTransport}: a consumer of the group on a thread of its own that hands each event
 * to the handler, then commits, after each polled batch, the offsets past the records handled. A handler that
 * throws ends it with the offsets of the records before it committed, so its record comes again to the next
 * consumer of the group. Stopping waits for the handler and at most one poll.
 */
public final class TransportConsumer implements Transport.Consumption, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TransportConsumer.class);
    private final String topic;
    private final Properties properties;
    private final Duration pollTimeout;
    private final Transport.Handler handler;
    private final Consumer<TransportConsumer> onEnd;
    private final Thread thread;
    private volatile boolean stopped;

    public TransportConsumer(String topic, Properties properties, Duration pollTimeout, Transport.Handler handler,
                             Consumer<TransportConsumer> onEnd) {
        this.topic = topic;
        this.properties = properties;
        this.pollTimeout = pollTimeout;
        this.handler = handler;
        this.onEnd = onEnd;
        this.thread = new Thread(this, "annals-kafka-transport-" + properties.get("group.id"));
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    @Override
    public void run() {
        Throwable failure = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            while (!stopped) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
                Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
                try {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (stopped) break;
                        for (NewEvent e : CloudEventsKafka.read(r)) handler.onEvent(event(e, r.timestamp()));
                        handled.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                } finally {
                    commit(consumer, handled);
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            onEnd.accept(this);
            handler.onClosed(failure);
        }
    }

    private void commit(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> handled) {
        if (handled.isEmpty()) return;
        try {
            consumer.commitSync(handled);
        } catch (CommitFailedException e) {
            // the group rebalanced meanwhile: the records come again to this partition's new owner (at least once)
            LOG.warn("kafka transport could not commit on {} (the group rebalanced): {}", topic, e.getMessage());
        }
    }

    /** The event a record carried; published events have no position, and their capture is the record's time. */
    private static Event event(NewEvent e, long timestamp) {
        Instant at = Instant.ofEpochMilli(timestamp);
        return new Event(e.id(), e.type(), e.version(), e.source(), e.aggregate(), e.time() != null ? e.time() : at,
                at, e.metadata(), e.tags(), e.payload(), e.ttl(), null, 0);
    }

    @Override
    public void close() {
        stopped = true;
        if (Thread.currentThread() == thread) return; // from the handler: ends when it returns
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
