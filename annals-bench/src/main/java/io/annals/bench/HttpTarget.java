package io.annals.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A running annals server, driven over HTTP/1.1 with the JDK client: {@code POST /api/events} with one event or a
 * JSON array of events. The client keeps one connection per concurrent worker alive. Bodies are made before the
 * clock starts; events carry no id, so the server assigns them.
 */
final class HttpTarget implements WriteTarget {
    private static final int POOL = 256;

    private final URI events;
    private final HttpClient client;
    private final int bodyBytes;
    private final AutoCloseable onClose;

    /** {@code onClose} stops an embedded server (or does nothing for a remote one). */
    HttpTarget(URI baseUrl, int bodyBytes, AutoCloseable onClose) {
        this.events = baseUrl.resolve("/api/events");
        this.client = client();
        this.bodyBytes = bodyBytes;
        this.onClose = onClose;
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public Runner.Operation single(int worker) {
        EventFactory factory = new EventFactory(worker, bodyBytes);
        List<byte[]> bodies = new ArrayList<>(POOL);
        for (int i = 0; i < POOL; i++) bodies.add(EventFactory.json(factory.next(null)).getBytes(StandardCharsets.UTF_8));
        return post(bodies, 1);
    }

    @Override
    public Runner.Operation batch(int worker, int size) {
        EventFactory factory = new EventFactory(worker, bodyBytes);
        List<byte[]> bodies = new ArrayList<>(16);
        for (int i = 0; i < 16; i++) bodies.add(EventFactory.jsonArray(factory.batch(size)).getBytes(StandardCharsets.UTF_8));
        return post(bodies, size);
    }

    private Runner.Operation post(List<byte[]> bodies, int eventsPerBody) {
        int[] next = {0};
        return () -> {
            byte[] body = bodies.get(next[0]++ % bodies.size());
            HttpRequest request = HttpRequest.newBuilder(events)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 201) {
                throw new IOException("POST " + events + " answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            return eventsPerBody;
        };
    }

    @Override
    public void close() throws Exception {
        onClose.close();
    }
}
