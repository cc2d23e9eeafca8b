package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scopes of the durable subscription routes: write configures, read consumes and acknowledges. */
class DurableSubscriptionsAuthTest extends ServerTestSupport {
    @Override
    Map<String, String> overrides() {
        return Map.of("annals.auth.tokens.0.token", AuthTest.READER, "annals.auth.tokens.0.scopes.0", "read",
                "annals.auth.tokens.1.token", AuthTest.WRITER, "annals.auth.tokens.1.scopes.0", "write");
    }

    private Http.Resp put(Http as, String name) {
        return as.send(as.request("/api/subscriptions/" + name).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"partitions\":2}")).build());
    }

    @Test
    void writeConfiguresAndReadConsumes() {
        Http reader = http.withToken(AuthTest.READER);
        Http writer = http.withToken(AuthTest.WRITER);
        assertThat(put(http, "s").status()).isEqualTo(401);
        Http.Resp forbidden = put(reader, "s");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("requiredScope").asText()).isEqualTo("write");
        assertThat(put(writer, "s").status()).isEqualTo(201);

        assertThat(http.get("/api/subscriptions/s").status()).isEqualTo(401);
        assertThat(reader.get("/api/subscriptions/s").status()).isEqualTo(200);
        assertThat(reader.get("/api/subscriptions").status()).isEqualTo(200);
        assertThat(http.get("/api/subscriptions/s/events?consumer=c").status()).isEqualTo(401);
        // a reader may acknowledge: this consumer is not connected, which is the problem rather than the scope
        Http.Resp ack = reader.postJson("/api/subscriptions/s/ack", "{\"consumer\":\"c\",\"acks\":[{\"partition\":0,\"position\":\"1\"}]}");
        assertThat(ack.status()).as(ack.body()).isEqualTo(409);
        assertThat(reader.method("DELETE", "/api/subscriptions/s").status()).isEqualTo(403);
        assertThat(writer.method("DELETE", "/api/subscriptions/s").status()).isEqualTo(204);
    }
}
