package io.annals.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.annals.core.api.Event;
import io.annals.core.api.Position;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import io.annals.core.api.codec.EventJson;
import io.annals.core.api.codec.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code GET /api/subscribe} response: the listener of its subscription, writing each event as a Server-Sent
 * Event ({@code id:} its position, {@code data:} the event's JSON on one line). Events collect in a buffer that is
 * written and flushed after each page the subscription reads (and whenever it grows past {@link #FLUSH_BYTES}), so
 * catching up costs one flush per page, not per event. A write blocks the subscription's thread while the client is
 * slow: the subscription falls behind in the store and memory stays at one page. A filtered-out stretch of the log
 * is reported by an event with an id and no data, which moves the client's Last-Event-ID on without delivering
 * anything; a comment {@code : caught up} says the stream reached the head of the log (it is live). Heartbeat
 * comments ({@code :} alone) come from {@link #heartbeat()} on another thread, skipped while an event is written.
 */
final class SseStream implements SubscriptionListener {
    private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);
    private static final int FLUSH_BYTES = 64 * 1024;
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CAUGHT_UP = ": caught up\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Metrics metrics;
    private final ReentrantLock writing = new ReentrantLock();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Buffer buffer = new Buffer();
    private final JsonGenerator json;
    /** Completes when the stream has ended; the response then ends. */
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile OutputStream out;
    private volatile Subscription subscription;
    private String lastId; // read and written by the subscription's thread once started

    SseStream(Metrics metrics) {
        this.metrics = metrics;
        try {
            // one generator for the stream's life, flushed into the buffer after each event, with nothing between
            // root values (Jackson would put a space)
            json = Json.mapper().getFactory().createGenerator(buffer);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        json.setRootValueSeparator(null);
    }

    /** Lets events flow to {@code out}, once the response is committed and asynchronous. */
    void start(Subscription s, OutputStream stream) {
        this.subscription = s;
        this.lastId = s.position().value(); // the start, resolved (from=end): its thread waits for us until then
        this.out = stream;
        ready.countDown();
    }

    Subscription subscription() {
        return subscription;
    }

    @Override
    public void onEvent(Event event) throws Exception {
        ready.await();
        String id = event.position().value();
        if (sseSafe(id)) {
            buffer.write(ID);
            buffer.writeText(id);
            lastId = id;
        }
        buffer.write(DATA);
        EventJson.write(event, json); // compact JSON: never a line break
        json.flush();
        buffer.write('\n');
        buffer.write('\n');
        metrics.subscriptionDelivered();
        if (buffer.size() >= FLUSH_BYTES) send();
    }

    @Override
    public void onProgress(Position position, boolean caughtUp) throws Exception {
        ready.await();
        String id = position.value();
        if (!id.equals(lastId) && sseSafe(id)) {
            buffer.write(ID);
            buffer.writeText(id);
            buffer.write('\n');
            buffer.write('\n');
            lastId = id;
        }
        if (caughtUp) buffer.write(CAUGHT_UP);
        send();
    }

    /** An id with a line break or NUL cannot travel in an SSE id field; the event then goes without one. */
    private static boolean sseSafe(String id) {
        return id.indexOf('\n') < 0 && id.indexOf('\r') < 0 && id.indexOf('\0') < 0;
    }

    private void send() throws IOException {
        if (buffer.size() == 0) return;
        writing.lock();
        try {
            buffer.writeTo(out);
            out.flush();
        } finally {
            writing.unlock();
            buffer.reset();
        }
    }

    /** Writes a comment line so that proxies and the client see traffic; skipped while an event is being written. */
    void heartbeat() {
        OutputStream o = out;
        if (o == null || done.isDone() || !writing.tryLock()) return;
        try {
            o.write(HEARTBEAT);
            o.flush();
        } catch (IOException e) {
            LOG.debug("a subscriber is gone (heartbeat failed): {}", e.toString());
            writing.unlock(); // before closing: close waits for the subscription's thread, which may want the lock
            subscription.close();
            return;
        }
        writing.unlock();
    }

    @Override
    public void onClosed(Throwable failure) {
        if (failure instanceof IOException || failure instanceof java.io.UncheckedIOException) {
            LOG.debug("a subscriber is gone: {}", failure.toString());
        } else if (failure != null) {
            LOG.warn("a subscription over HTTP ended by a failure", failure);
        }
        done.complete(null);
    }

    /** The bytes of the next write; reused for the life of the stream. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(FLUSH_BYTES + 4096);
        }

        void writeText(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            write(b, 0, b.length);
        }
    }
}
