package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /health, /metrics and /api/openapi.json. */
class SystemEndpointsTest extends ServerTestSupport {

    @Test
    void healthIsUp() {
        Http.Resp r = http.get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void metricsCountRequestsByRouteAndStatusAndAppends() {
        http.postJson("/api/events", "{\"id\":\"met-1\",\"type\":\"t\"}");
        http.postJson("/api/events", "[{\"id\":\"met-1\",\"type\":\"t\"},{\"id\":\"met-2\",\"type\":\"t\"}]");
        http.postJson("/api/events", "{\"type\":\"t\",\"time\":\"never\"}");
        http.get("/api/events/met-1");
        http.get("/api/events/missing");
        http.get("/no/such/route/12345");
        Http.Resp r = http.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        String m = r.body();
        assertThat(m).contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/events\",status=\"201\"} 2");
        assertThat(m).contains("http_server_requests_seconds_count{method=\"POST\",route=\"/api/events\",status=\"400\"} 1");
        assertThat(m).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/api/events/{id}\",status=\"200\"} 1");
        assertThat(m).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/api/events/{id}\",status=\"404\"} 1");
        assertThat(m).contains("route=\"unmatched\",status=\"404\"");
        assertThat(m).doesNotContain("12345");
        assertThat(m).contains("http_server_requests_seconds_bucket{");
        assertThat(m).contains("http_server_requests_seconds_sum{method=\"POST\",route=\"/api/events\",status=\"201\"}");
        assertThat(m).contains("annals_appends_total{outcome=\"ok\"} 2");
        assertThat(m).contains("annals_appends_total{outcome=\"invalid\"} 1");
        assertThat(m).contains("annals_events_appended_total 2");
        assertThat(m).contains("annals_events_duplicate_total 1");
        assertThat(m).containsPattern("annals_store_events \\d");
        assertThat(m).contains("annals_store_size_bytes -1");
        assertThat(m).contains("jvm_memory_used_bytes");
    }

    @Test
    void openApiIsValidAndDescribesEveryRoute() {
        Http.Resp r = http.get("/api/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().get("openapi").asText()).startsWith("3.1");

        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(r.body(), null, options);
        assertThat(result.getMessages()).isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getComponents().getSchemas()).containsKeys("Event", "NewEvent", "Problem", "CloudEvent");

        List<String> described = new ArrayList<>();
        for (Map.Entry<String, PathItem> p : api.getPaths().entrySet()) {
            p.getValue().readOperationsMap().forEach((method, op) -> {
                described.add(method.name() + " " + p.getKey());
                assertThat(op.getResponses()).as(method + " " + p.getKey()).isNotEmpty();
            });
        }
        assertThat(described).containsExactlyInAnyOrderElementsOf(server.routes());

        // Every API operation documents its problem answers.
        for (Map.Entry<String, PathItem> p : api.getPaths().entrySet()) {
            if (!p.getKey().startsWith("/api/") || p.getKey().equals("/api/openapi.json")) continue;
            for (Operation op : p.getValue().readOperations()) {
                assertThat(op.getResponses()).as(op.getOperationId()).containsKeys("400", "401", "403", "500", "503");
            }
        }
    }
}
