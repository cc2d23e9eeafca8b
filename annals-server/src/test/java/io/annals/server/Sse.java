package io.annals.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** A Server-Sent Events stream read line by line, for tests: each {@link #next()} is one dispatched event. */
final class Sse implements AutoCloseable {
    /** One event: its id field (null if none), its data (null if none) and the comments seen before it. */
    record Message(String id, String data, List<String> comments) {}

    final HttpResponse<Stream<String>> response;
    private final Iterator<String> lines;

    private Sse(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.lines = response.body().iterator();
    }

    static Sse open(Http http, String path, String... headers) {
        HttpRequest request = http.request(path, headers).timeout(java.time.Duration.ofMinutes(5)).GET().build();
        try {
            return new Sse(http.client.send(request, HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return response.statusCode();
    }

    /** The next event with an id or data; null when the stream ended. */
    Message next() {
        String id = null;
        StringBuilder data = null;
        List<String> comments = new ArrayList<>();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (id != null || data != null) return new Message(id, data == null ? null : data.toString(), comments);
                continue;
            }
            if (line.startsWith(":")) {
                comments.add(line.substring(1).trim());
            } else if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
                String d = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
            }
        }
        return null;
    }

    /** The next event that carries data, passing over id-only ones. */
    Message nextData() {
        Message m;
        do m = next(); while (m != null && m.data() == null);
        return m;
    }

    /** Reads until a comment line that is only ":" (a heartbeat); false if the stream ended first. */
    boolean awaitHeartbeat() {
        while (lines.hasNext()) if (lines.next().equals(":")) return true;
        return false;
    }

    @Override
    public void close() {
        response.body().close();
    }
}
