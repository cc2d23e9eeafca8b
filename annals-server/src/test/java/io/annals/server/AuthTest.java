package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bearer tokens with scopes: 401 without a valid token, 403 without the scope, open system endpoints. */
class AuthTest extends ServerTestSupport {
    static final String READER = "reader-token-0123456789";
    static final String WRITER = "writer-token-0123456789";
    static final String ADMIN = "admin-token-01234567890";
    static final String ALL = "all-scopes-token-0123456";

    @Override
    Map<String, String> overrides() {
        return Map.of("annals.auth.tokens.0.token", READER, "annals.auth.tokens.0.scopes.0", "read",
                "annals.auth.tokens.1.token", WRITER, "annals.auth.tokens.1.scopes.0", "write",
                "annals.auth.tokens.2.token", ADMIN, "annals.auth.tokens.2.scopes.0", "admin",
                "annals.auth.tokens.3.token", ALL);
    }

    @Test
    void noTokenIs401WithAChallengeAndWritesNothing() {
        List<Event> before = everything();
        Http.Resp r = http.postJson("/api/events", "{\"type\":\"t\"}");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(r.contentType()).hasValue("application/problem+json");
        assertThat(r.json().get("type").asText()).isEqualTo("https://annals.io/problems/unauthorized");
        assertThat(r.json().get("detail").asText()).contains("Authorization: Bearer");
        assertThat(everything()).isEqualTo(before);
        assertThat(http.get("/api/events").status()).isEqualTo(401);
        assertThat(http.get("/api/events/x").status()).isEqualTo(401);
        assertThat(http.get("/api/aggregates/a/b/events").status()).isEqualTo(401);
        assertThat(http.get("/api/log").status()).isEqualTo(401);
        assertThat(http.post("/api/admin/backup", "application/json", "{\"target\":\"/tmp/x\"}").status()).isEqualTo(401);
    }

    @Test
    void wrongTokenOrSchemeIs401() {
        Http.Resp wrong = http.withToken(READER + "x").get("/api/events");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(http.withToken(READER.substring(0, 10)).get("/api/events").status()).isEqualTo(401);
        assertThat(http.get("/api/events", "Authorization", "Basic dXNlcjpwYXNz").status()).isEqualTo(401);
        assertThat(http.get("/api/events", "Authorization", "Bearer ").status()).isEqualTo(401);
    }

    @Test
    void tokenWithoutTheScopeIs403() {
        List<Event> before = everything();
        Http.Resp r = http.withToken(READER).postJson("/api/events", "{\"type\":\"t\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("type").asText()).isEqualTo("https://annals.io/problems/forbidden");
        assertThat(r.json().get("requiredScope").asText()).isEqualTo("write");
        assertThat(r.header("WWW-Authenticate")).contains("insufficient_scope");
        assertThat(everything()).isEqualTo(before);
        assertThat(http.withToken(WRITER).get("/api/events").status()).isEqualTo(403);
        assertThat(http.withToken(WRITER).post("/api/admin/backup", "application/json", "{\"target\":\"/tmp/x\"}").status())
                .isEqualTo(403);
        assertThat(http.withToken(ADMIN).get("/api/log").status()).isEqualTo(403);
    }

    @Test
    void tokensWithTheScopeAreServed() {
        Http.Resp written = http.withToken(WRITER).postJson("/api/events", "{\"id\":\"auth-1\",\"type\":\"t\"}");
        assertThat(written.status()).isEqualTo(201);
        assertThat(http.withToken(READER).get("/api/events/auth-1").status()).isEqualTo(200);
        assertThat(http.withToken(ALL).get("/api/events/auth-1").status()).isEqualTo(200);
        assertThat(http.withToken(ALL).postJson("/api/events", "{\"type\":\"t\"}").status()).isEqualTo(201);
        // admin scope passes authorization; the in-memory store then says it cannot take backups.
        assertThat(http.withToken(ADMIN).post("/api/admin/backup", "application/json", "{\"target\":\"/tmp/x\"}").status())
                .isEqualTo(501);
    }

    @Test
    void healthAndOpenApiAreOpenAndMetricsNeedsRead() {
        assertThat(http.get("/health").status()).isEqualTo(200);
        assertThat(http.get("/api/openapi.json").status()).isEqualTo(200);
        assertThat(http.get("/metrics").status()).isEqualTo(401);
        assertThat(http.withToken(WRITER).get("/metrics").status()).isEqualTo(403);
        assertThat(http.withToken(READER).get("/metrics").status()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAreNotFoundWhateverTheToken() {
        assertThat(http.get("/api/nothing").status()).isEqualTo(404);
    }
}
