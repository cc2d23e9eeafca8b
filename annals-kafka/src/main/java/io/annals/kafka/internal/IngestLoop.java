package io.annals.kafka.internal;

import io.annals.core.api.AnnalsException;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.EventStore;
import io.annals.core.api.NewEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest's one thread: polls, appends every event of the polled records to the store (idempotently: the
 * CloudEvent id is the event id), sends records it cannot read to the dead-letter topic, and only then commits the
 * offsets. When the store is unavailable it commits nothing, seeks back to the first record not yet stored and
 * tries again after a back-off.
 */
public final class IngestLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);
    public static final String REASON = "annals.dlq.reason";
    private static final int MAX_APPEND = 1000;

    /** What the loop needs; built by {@code KafkaIngest.Builder}. */
    public record Config(String group, List<String> topics, String deadLetterTemplate, Duration pollTimeout, Backoff backoff) {}

    private final EventStore store;
    private final Config config;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> deadLetters;
    private final IngestMeters meters;
    private volatile boolean running = true;

    public IngestLoop(EventStore store, Config config, Consumer<byte[], byte[]> consumer,
                      Producer<byte[], byte[]> deadLetters, IngestMeters meters) {
        this.store = store;
        this.config = config;
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.meters = meters;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(config.topics());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(config.pollTimeout());
                if (records.isEmpty()) continue;
                try {
                    handle(records);
                    commit(records);
                    config.backoff().reset();
                } catch (RetryLater e) {
                    meters.error();
                    LOG.warn("kafka ingest '{}' will retry {} records: {}", config.group(), records.count(), e.getMessage());
                    for (TopicPartition tp : records.partitions())
                        consumer.seek(tp, records.records(tp).get(0).offset());
                    LockSupport.parkNanos(this, config.backoff().nextMillis() * 1_000_000);
                }
            }
        } catch (WakeupException e) {
            // close() woke the consumer up
        } catch (RuntimeException e) {
            LOG.error("kafka ingest '{}' stopped on an unexpected error; restart annals to resume", config.group(), e);
        } finally {
            close();
        }
    }

    /** Makes the loop end; the consumer is woken up from its poll. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    private void handle(ConsumerRecords<byte[], byte[]> records) {
        List<Future<?>> sent = new ArrayList<>();
        Map<ConsumerRecord<byte[], byte[]>, List<NewEvent>> readable = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                readable.put(r, CloudEventsKafka.read(r));
            } catch (AnnalsException | IllegalArgumentException e) {
                sent.add(deadLetter(r, e.getMessage()));
            }
        }
        List<NewEvent> batch = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int repeats = 0;
        for (List<NewEvent> events : readable.values()) {
            for (NewEvent e : events) {
                if (ids.add(e.id())) batch.add(e);
                else repeats++; // a repeat within one poll is a duplicate: one append may not hold an id twice
            }
        }
        try {
            for (int i = 0; i < batch.size(); i += MAX_APPEND) count(store.append(batch.subList(i, Math.min(batch.size(), i + MAX_APPEND))));
            meters.appended(0, repeats);
        } catch (AnnalsException e) {
            if (e.isTransient()) throw new RetryLater("the store is unavailable: " + e.getMessage());
            // one record spoils the batch (an id stored with other content, an invalid event): one at a time
            for (Map.Entry<ConsumerRecord<byte[], byte[]>, List<NewEvent>> r : readable.entrySet()) {
                try {
                    count(store.append(r.getValue()));
                } catch (AnnalsException one) {
                    if (one.isTransient()) throw new RetryLater("the store is unavailable: " + one.getMessage());
                    sent.add(deadLetter(r.getKey(), one.getMessage()));
                } catch (RuntimeException one) {
                    throw new RetryLater("the append failed: " + one);
                }
            }
        } catch (RuntimeException e) {
            throw new RetryLater("the append failed: " + e);
        }
        for (Future<?> f : sent) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new RetryLater("a record could not be sent to the dead-letter topic: " + e);
            }
        }
    }

    private Future<?> deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
        String topic = config.deadLetterTemplate().replace("{topic}", r.topic());
        LOG.warn("kafka ingest '{}': {}-{}@{} goes to {}: {}", config.group(), r.topic(), r.partition(), r.offset(), topic, reason);
        RecordHeaders headers = new RecordHeaders(r.headers().toArray());
        headers.add(REASON, utf8(reason == null ? "unknown" : reason));
        headers.add("annals.dlq.source", utf8(r.topic() + "-" + r.partition() + "@" + r.offset()));
        meters.deadLettered();
        return deadLetters.send(new ProducerRecord<>(topic, null, r.key(), r.value(), headers));
    }

    private void count(AppendResult result) {
        int duplicates = 0;
        for (Appended a : result.events()) if (a.duplicate()) duplicates++;
        meters.appended(result.events().size() - duplicates, duplicates);
    }

    private void commit(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException e) {
            // the group moved these partitions elsewhere: their new owner reads them again, and stores duplicates only
            LOG.warn("kafka ingest '{}' could not commit (the group rebalanced): {}", config.group(), e.getMessage());
        }
    }

    private void close() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("closing the consumer failed", e);
        }
        try {
            deadLetters.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("closing the dead-letter producer failed", e);
        }
        meters.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final class RetryLater extends RuntimeException {
        RetryLater(String message) {
            super(message, null, false, false);
        }
    }
}
