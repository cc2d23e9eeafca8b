package io.annals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.server.AnnalsServer;
import io.annals.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliAuthTest {
    private static final String TOKEN = "cli-token-0123456789";

    @TempDir Path dir;

    @Test
    void theTokenIsSentAndAMissingOneIsExplained() throws Exception {
        Path conf = dir.resolve("annals.conf");
        Files.writeString(conf, "annals.auth.tokens = [ { token = \"" + TOKEN + "\" } ]\n");
        try (AnnalsServer server = AnnalsServer.start(ServerConfig.load(conf,
                Map.of("annals.http.port", "0", "annals.store.engine", "memory")))) {
            String url = server.uri().toString();
            Cli.Result denied = Cli.at(url, "post", "--type", "t", "--id", "x");
            assertThat(denied.exitCode()).isEqualTo(1);
            assertThat(denied.err()).startsWith("error: HTTP 401");
            assertThat(Cli.at(url, "--token", TOKEN, "post", "--type", "t", "--id", "x").exitCode()).isZero();
            assertThat(Cli.at(url, "get", "x", "--token", TOKEN).exitCode()).isZero();
        }
    }
}
