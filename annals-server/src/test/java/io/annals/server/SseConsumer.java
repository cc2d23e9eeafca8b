package io.annals.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.codec.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A durable-subscription consumer over HTTP for tests: reads its SSE stream on a thread and keeps every message. */
final class SseConsumer implements AutoCloseable {
    record Message(String type, JsonNode data) {}

    final String id;
    final int status;
    final List<Message> messages = new CopyOnWriteArrayList<>();
    private final InputStream body;
    private final Thread reader;
    volatile boolean ended;

    SseConsumer(URI base, String subscription, String id) {
        this.id = id;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/subscriptions/" + subscription + "/events?consumer=" + id)).build();
        try {
            HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = r.statusCode();
            body = r.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        reader = new Thread(this::read, "test-sse-" + id);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String type = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (type != null) messages.add(new Message(type, Json.parse(Json.mapper(), data.toString().getBytes(StandardCharsets.UTF_8))));
                    type = null;
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (IOException e) {
            // closed by the test
        } finally {
            ended = true;
        }
    }

    List<JsonNode> events() {
        List<JsonNode> out = new ArrayList<>();
        for (Message m : messages) if (m.type().equals("event")) out.add(m.data());
        return out;
    }

    List<String> ids() {
        return events().stream().map(e -> e.get("event").get("id").asText()).toList();
    }

    /** The partitions of the last assignment received. */
    List<Integer> partitions() {
        List<Integer> last = List.of();
        for (Message m : messages) {
            if (!m.type().equals("assignment")) continue;
            List<Integer> ps = new ArrayList<>();
            m.data().get("partitions").forEach(p -> ps.add(p.asInt()));
            last = ps;
        }
        return last;
    }

    String closedReason() {
        for (Message m : messages) if (m.type().equals("closed")) return m.data().get("reason").asText();
        return null;
    }

    /** The body of an acknowledgement of the last event received on each partition this consumer holds now. */
    String ackAllBody() {
        Map<Integer, String> last = new TreeMap<>();
        List<Integer> held = partitions();
        for (JsonNode e : events()) if (held.contains(e.get("partition").asInt())) last.put(e.get("partition").asInt(), e.get("position").asText());
        StringBuilder acks = new StringBuilder();
        last.forEach((p, pos) -> acks.append(acks.length() == 0 ? "" : ",").append("{\"partition\":").append(p)
                .append(",\"position\":\"").append(pos).append("\"}"));
        return "{\"consumer\":\"" + id + "\",\"acks\":[" + acks + "]}";
    }

    /** Hangs up, as a consumer that crashes or goes away does. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            // gone either way
        }
    }
}
