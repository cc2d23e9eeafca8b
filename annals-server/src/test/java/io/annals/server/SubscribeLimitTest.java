package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** annals.subscriptions.max-streams: a stream beyond the limit is refused with 503, and a closed one frees its slot. */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // the waits below are bounded by this, never assertions on time
class SubscribeLimitTest extends ServerTestSupport {

    @Override
    Map<String, String> overrides() {
        return Map.of("annals.subscriptions.max-streams", "2", "annals.http.idle-timeout", "1s"); // heartbeats every 500 ms
    }

    @Test
    void aStreamBeyondTheLimitIsRefusedAndAClosedOneFreesItsSlot() throws Exception {
        // refused after taking a slot (the store does not know the position): each gives it back
        for (int i = 0; i < 5; i++) assertThat(http.get("/api/subscribe?from=nonsense").status()).isEqualTo(400);

        Sse first = Sse.open(http, "/api/subscribe?from=end");
        try (Sse second = Sse.open(http, "/api/subscribe?from=end")) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);

            Http.Resp refused = http.get("/api/subscribe?from=end");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            assertThat(refused.body()).contains("annals.subscriptions.max-streams");

            // the server sees the first client go when a heartbeat fails to write; then its slot is free again
            first.close();
            while (true) {
                Sse third = Sse.open(http, "/api/subscribe?from=end");
                if (third.status() == 200) {
                    assertThat(third.awaitHeartbeat()).isTrue();
                    third.close();
                    break;
                }
                assertThat(third.status()).isEqualTo(503);
                third.close();
                Thread.sleep(100);
            }
        } finally {
            first.close();
        }
    }
}
