package io.annals.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.annals.core.api.Event;
import io.annals.core.api.codec.EventJson;
import io.annals.server.subscriptions.DurableConsumer;
import io.annals.server.subscriptions.DurableListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code GET /api/subscriptions/{name}/events} response: the consumer's listener, writing Server-Sent Events.
 * {@code event: assignment} carries the partitions held, {@code event: event} one delivered event with its partition
 * and position, {@code event: closed} why the consumer ended (the response then ends). Each is flushed at once.
 * The listener's calls come one at a time; a write blocks the partition's reader while the client is slow, so a
 * slow consumer holds back only its own partitions. Heartbeat comments come from another thread.
 */
final class DurableSse implements DurableListener {
    private static final Logger LOG = LoggerFactory.getLogger(DurableSse.class);
    private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final String consumer;
    private final ReentrantLock writing = new ReentrantLock();
    /** Completes when the stream ends, for whatever reason; the response then ends. */
    final CompletableFuture<Void> done = new CompletableFuture<>();

    DurableSse(OutputStream out, String consumer) {
        this.out = out;
        this.consumer = consumer;
    }

    @Override
    public void onAssigned(SortedSet<Integer> partitions) {
        try {
            write("assignment", JsonOut.bytes(g -> {
                g.writeStartObject();
                g.writeStringField("consumer", consumer);
                g.writeArrayFieldStart("partitions");
                for (int p : partitions) g.writeNumber(p);
                g.writeEndArray();
                g.writeEndObject();
            }));
        } catch (IOException e) {
            gone(e); // called during a rebalance: never throw into it
        }
    }

    @Override
    public void onEvent(DurableConsumer c, int partition, Event event) throws IOException {
        try {
            write("event", JsonOut.bytes(g -> {
                g.writeStartObject();
                g.writeNumberField("partition", partition);
                g.writeStringField("position", event.position().value());
                g.writeFieldName("event");
                EventJson.write(event, g); // compact JSON: never a line break
                g.writeEndObject();
            }, 1024));
        } catch (IOException e) {
            gone(e);
            throw e; // the consumer leaves: its partitions move on, with this event unacknowledged
        }
    }

    @Override
    public void onClosed(String reason) {
        try {
            write("closed", JsonOut.bytes(g -> {
                g.writeStartObject();
                g.writeStringField("reason", reason);
                g.writeEndObject();
            }));
        } catch (IOException e) {
            LOG.debug("could not tell consumer {} why it ended: {}", consumer, e.toString());
        }
        done.complete(null);
    }

    private void write(String type, byte[] json) throws IOException {
        if (done.isDone()) throw new IOException("the stream has ended");
        byte[] head = ("event: " + type + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
        writing.lock();
        try {
            out.write(head);
            out.write(json);
            out.write('\n');
            out.write('\n');
            out.flush();
        } finally {
            writing.unlock();
        }
    }

    /** Writes a comment so that proxies and the client see traffic, and a client gone away is noticed. */
    void heartbeat() {
        if (done.isDone() || !writing.tryLock()) return;
        try {
            out.write(HEARTBEAT);
            out.flush();
        } catch (IOException e) {
            gone(e);
        } finally {
            writing.unlock();
        }
    }

    private void gone(IOException e) {
        LOG.debug("durable consumer {} is gone: {}", consumer, e.toString());
        done.complete(null);
    }
}
