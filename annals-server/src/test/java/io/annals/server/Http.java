package io.annals.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A small test client over java.net.http: requests against a running server, answers with parsed JSON. */
final class Http {
    final HttpClient client;
    final URI base;
    String token;

    Http(URI base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    Http(URI base, HttpClient client) {
        this.base = base;
        this.client = client;
    }

    Http withToken(String t) {
        Http h = new Http(base, client);
        h.token = t;
        return h;
    }

    record Resp(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            return Json.parse(Json.mapper(), body.getBytes(StandardCharsets.UTF_8));
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        Optional<String> contentType() {
            return headers.firstValue("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Resp get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    Resp post(String path, String contentType, String body, String... headers) {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Resp post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = request(path, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b.build());
    }

    Resp postJson(String path, String body) {
        return post(path, "application/json", body);
    }

    Resp method(String method, String path) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b;
    }

    Resp send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
