package io.annals.kafka.internal;

import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's pages of the log, read ahead: while the relay sends one page, up to {@code depth} following pages are
 * read, decoded and made into records on a thread of their own. Reading ahead goes on only while pages come back
 * full (the relay is behind); near the head of the log a page is read when it is asked for. Used by one thread.
 */
final class ReadAhead implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadAhead.class);

    /**
     * The events of the log after {@code after} up to {@code next}, as records.
     * @param firstCapture when the first of them was captured; null when there is none
     */
    record Page(Position after, Position next, Instant firstCapture, List<ProducerRecord<byte[], byte[]>> records) {
        int size() {
            return records.size();
        }
    }

    private final EventStore store;
    private final TopicRouter router;
    private final int pageSize;
    private final int depth;
    private final ArrayDeque<CompletableFuture<Page>> ahead = new ArrayDeque<>();
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "annals-relay-reader");
        t.setDaemon(true);
        return t;
    });

    ReadAhead(EventStore store, TopicRouter router, int pageSize, int depth) {
        this.store = store;
        this.router = router;
        this.pageSize = pageSize;
        this.depth = depth;
    }

    /**
     * The page after {@code after}: the one read ahead when it is that page, else read now on the caller's thread.
     * @throws RuntimeException when the log cannot be read
     */
    Page next(Position after) {
        Page page = null;
        CompletableFuture<Page> head = ahead.poll();
        if (head != null) {
            try {
                page = head.join();
            } catch (RuntimeException e) {
                LOG.debug("a read ahead failed, reading again: {}", e.toString());
            }
        }
        if (page == null || !page.after().equals(after)) {
            clear();
            page = read(after);
        }
        if (full(page)) topUp(page);
        return page;
    }

    /** Forgets the pages read ahead (after a rewind). */
    void clear() {
        for (CompletableFuture<Page> f : ahead) f.cancel(false);
        ahead.clear();
    }

    @Override
    public void close() {
        clear();
        reader.shutdownNow();
    }

    /** Queues reads of the pages after {@code last} (each after the one before) until {@code depth} are queued. */
    private void topUp(Page last) {
        CompletableFuture<Page> tail = ahead.isEmpty() ? CompletableFuture.completedFuture(last) : ahead.peekLast();
        while (ahead.size() < depth) {
            tail = tail.thenApplyAsync(before -> before != null && full(before) ? read(before.next()) : null, reader);
            ahead.add(tail);
        }
    }

    private boolean full(Page page) {
        return page.size() == pageSize;
    }

    private Page read(Position after) {
        LogPage log = store.readLog(after, pageSize);
        List<Event> events = log.events();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
        for (Event e : events) records.add(CloudEventsKafka.record(router.topic(e.type()), e));
        return new Page(after, log.next(), events.isEmpty() ? null : events.get(0).processedAt(), records);
    }
}
