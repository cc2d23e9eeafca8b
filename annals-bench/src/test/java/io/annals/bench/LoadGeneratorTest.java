package io.annals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line end to end, with one-second scenarios (figures are not checked, only that each ran). */
class LoadGeneratorTest {
    @TempDir
    Path dir;

    @Test
    void allRunsRawApiAndHttpAndWritesJson() throws Exception {
        Path json = dir.resolve("all.json");
        Path stores = Files.createDirectories(dir.resolve("stores"));
        int code = new CommandLine(new LoadGenerator()).execute("all", "--embedded", "--cases", "many", "--writers", "4",
                "--warmup", "0", "--duration", "1", "--dir", stores.toString(), "--json", json.toString());
        assertThat(code).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("scenarios").findValuesAsText("name")).containsExactly("raw-4", "api-4", "http-4");
        for (JsonNode s : root.path("scenarios")) assertThat(s.path("events").asLong()).isPositive();
        try (var left = Files.list(stores)) {
            assertThat(left).as("every scenario deletes its store").isEmpty();
        }
    }

    @Test
    void queryPreloadsAndReadsPagesThroughTheApiAndHttp() throws Exception {
        Path json = dir.resolve("query.json");
        Path stores = Files.createDirectories(dir.resolve("stores"));
        int code = new CommandLine(new LoadGenerator()).execute("query", "--events", "3000", "--settle", "0", "--warmup", "0",
                "--duration", "1", "--dir", stores.toString(), "--json", json.toString());
        assertThat(code).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("scenarios").findValuesAsText("name"))
                .containsExactly("api-query-type", "api-query-tag", "http-query-type", "http-query-tag");
        for (JsonNode s : root.path("scenarios")) {
            assertThat(s.path("events").asLong()).isPositive();
            assertThat(s.path("errors").asLong()).isZero();
        }
    }

    @Test
    void sourcingRebuildsFromASnapshotAndFromNothingAndRunsCommands() throws Exception {
        Path json = dir.resolve("sourcing.json");
        Path stores = Files.createDirectories(dir.resolve("stores"));
        int code = new CommandLine(new LoadGenerator()).execute("sourcing", "--history", "300", "--every", "100",
                "--aggregates", "500", "--callers", "4", "--store-option", "sync=none", "--warmup", "0",
                "--duration", "1", "--dir", stores.toString(), "--json", json.toString());
        assertThat(code).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("scenarios").findValuesAsText("name"))
                .containsExactly("rebuild-snapshot", "rebuild-full", "commands-4");
        for (JsonNode s : root.path("scenarios")) {
            assertThat(s.path("events").asLong()).isPositive();
            assertThat(s.path("errors").asLong()).isZero();
        }
        try (var left = Files.list(stores)) {
            assertThat(left).as("every scenario deletes its store").isEmpty();
        }
    }
}
