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
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A running annals server, driven with {@code POST /api/events} of one event or a JSON array of events, one kept-alive
 * HTTP/1.1 connection per worker. Bodies are made before the clock starts; events carry no id, so the server assigns
 * them. The client is a lean socket client by default ({@link RawHttpConnection}) or the JDK's HttpClient.
 */
final class HttpTarget implements WriteTarget {
    /** Which HTTP client the workers use. */
    enum Client { raw, jdk }

    private static final int POOL = 256;
    private static final String PATH = "/api/events";

    private final URI base;
    private final Client clientKind;
    private final HttpClient jdkClient;
    private final int bodyBytes;
    private final AutoCloseable onClose;
    private final List<RawHttpConnection> connections = new CopyOnWriteArrayList<>();

    /** {@code onClose} stops an embedded server (or does nothing for a remote one). */
    HttpTarget(URI base, Client client, int bodyBytes, AutoCloseable onClose) {
        this.base = base;
        this.clientKind = client;
        this.jdkClient = client == Client.jdk ? jdkClient() : null;
        this.bodyBytes = bodyBytes;
        this.onClose = onClose;
    }

    static HttpClient jdkClient() {
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
        if (clientKind == Client.raw) {
            List<byte[]> requests = bodies.stream().map(b -> RawHttpConnection.post(base, PATH, b)).toList();
            RawHttpConnection connection = new RawHttpConnection(base);
            connections.add(connection);
            return () -> {
                RawHttpConnection.Answer answer = connection.exchange(requests.get(next[0]++ % requests.size()));
                if (answer.status() != 201) throw refused(answer.status(), answer.text());
                return eventsPerBody;
            };
        }
        URI events = base.resolve(PATH);
        return () -> {
            HttpRequest request = HttpRequest.newBuilder(events).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(next[0]++ % bodies.size()))).build();
            HttpResponse<byte[]> response = jdkClient.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 201) throw refused(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
            return eventsPerBody;
        };
    }

    private static IOException refused(int status, String body) {
        return new IOException("POST " + PATH + " answered " + status + ": " + body);
    }

    @Override
    public void close() throws Exception {
        connections.forEach(RawHttpConnection::close);
        onClose.close();
    }
}
