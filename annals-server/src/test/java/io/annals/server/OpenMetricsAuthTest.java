package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** annals.auth.metrics-scope = none opens /metrics while the API stays protected. */
class OpenMetricsAuthTest extends ServerTestSupport {
    @Override
    Map<String, String> overrides() {
        return Map.of("annals.auth.tokens.0.token", AuthTest.ALL, "annals.auth.metrics-scope", "none");
    }

    @Test
    void metricsAreOpen() {
        assertThat(http.get("/metrics").status()).isEqualTo(200);
        assertThat(http.get("/api/events").status()).isEqualTo(401);
    }
}
