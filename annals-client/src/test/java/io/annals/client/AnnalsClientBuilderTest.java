package io.annals.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.StoreUnavailableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AnnalsClientBuilderTest {

    @Test
    void builderRefusesBadSettingsAtOnce() {
        assertThatThrownBy(() -> AnnalsClient.builder().baseUri("ftp://x")).hasMessageContaining("http://");
        assertThatThrownBy(() -> AnnalsClient.builder().baseUri("localhost:8080")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnnalsClient.builder().token("has space")).hasMessageContaining("token");
        assertThatThrownBy(() -> AnnalsClient.builder().requestTimeout(Duration.ZERO)).hasMessageContaining("positive");
    }

    @Test
    void aServerThatIsNotThereIsUnavailable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (AnnalsClient client = AnnalsClient.connect("http://127.0.0.1:" + port)) {
            assertThatThrownBy(() -> client.get("x")).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("cannot connect");
            assertThatThrownBy(() -> client.append(io.annals.core.api.NewEvent.ofType("t").build()))
                    .isInstanceOf(StoreUnavailableException.class);
        }
    }

    @Test
    void aClosedClientRefusesCalls() {
        AnnalsClient client = AnnalsClient.connect("http://localhost:1");
        client.close();
        assertThatThrownBy(() -> client.get("x")).isInstanceOf(IllegalStateException.class);
        assertThat(client.baseUri().toString()).isEqualTo("http://localhost:1");
    }
}
