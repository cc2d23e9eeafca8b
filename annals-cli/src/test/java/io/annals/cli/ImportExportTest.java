package io.annals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.annals.core.api.codec.Json;
import io.annals.server.AnnalsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import and export against fresh servers (in-memory engine): idempotent re-import, round trips, bad lines. */
class ImportExportTest {
    @TempDir Path dir;
    private AnnalsServer server;
    private String url;

    @BeforeEach
    void start() {
        server = TestServers.memory();
        url = server.uri().toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static JsonNode json(String text) {
        return Json.parse(Json.mapper(), text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code n} events in the annals form; every 10th belongs to one of 3 aggregates. */
    private Path ndjson(String name, int n) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String aggregate = i % 10 == 0 ? ",\"aggregate\":{\"type\":\"parcel\",\"id\":\"p" + (i % 3) + "\"}" : "";
            lines.add("{\"id\":\"ev-" + i + "\",\"type\":\"t" + (i % 4) + "\",\"source\":\"gen\",\"time\":\"2021-05-01T00:00:00."
                    + String.format("%06d", (n - i) * 7) + "Z\"" + aggregate
                    + ",\"metadata\":{\"tags\":[\"k" + (i % 5) + "\"]},\"payload\":{\"i\":" + i + ",\"d\":2.50}}");
        }
        Path f = dir.resolve(name);
        Files.write(f, lines);
        return f;
    }

    private long countAll() {
        return Cli.at(url, "query").lines().size();
    }

    @Test
    void reimportStoresNothingTwice() throws Exception {
        Path f = ndjson("events.ndjson", 1234);
        Cli.Result first = Cli.at(url, "import", f.toString(), "--batch-size", "500");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("1234 stored, 0 skipped (already stored), 0 failed");
        Cli.Result again = Cli.at(url, "import", f.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("0 stored, 1234 skipped (already stored), 0 failed");
        assertThat(countAll()).isEqualTo(1234);
        assertThat(Cli.at(url, "query", "--aggregate", "parcel/p0").lines()).hasSize(42);
    }

    @Test
    void exportThenImportIntoAFreshServerRoundTrips() throws Exception {
        Path f = ndjson("in.ndjson", 321);
        assertThat(Cli.at(url, "import", f.toString(), "--batch-size", "100").exitCode()).isZero();
        Path out = dir.resolve("out.ndjson");
        Cli.Result export = Cli.at(url, "export", out.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).contains("exported 321 events");
        List<String> exported = Files.readAllLines(out);
        assertThat(exported).hasSize(321);
        // capture order: the order of the import
        assertThat(json(exported.get(0)).path("id").asText()).isEqualTo("ev-0");
        assertThat(json(exported.get(320)).path("id").asText()).isEqualTo("ev-320");

        try (AnnalsServer other = TestServers.memory()) {
            String otherUrl = other.uri().toString();
            Cli.Result imported = Cli.at(otherUrl, "import", out.toString());
            assertThat(imported.exitCode()).as(imported.err()).isZero();
            assertThat(imported.out()).contains("321 stored");
            Path back = dir.resolve("back.ndjson");
            assertThat(Cli.at(otherUrl, "export", back.toString()).exitCode()).isZero();
            assertThat(withoutCaptureFields(Files.readAllLines(back))).isEqualTo(withoutCaptureFields(exported));
        }
    }

    /** The events' content, including stream versions, without what a new capture changes. */
    private static Set<String> withoutCaptureFields(List<String> lines) {
        return lines.stream().map(l -> {
            ObjectNode n = (ObjectNode) json(l);
            n.remove(List.of("processedAt", "position"));
            return Json.write(n);
        }).collect(Collectors.toSet());
    }

    @Test
    void cloudEventsExportIsDetectedOnImport() throws Exception {
        Path f = ndjson("in.ndjson", 57);
        assertThat(Cli.at(url, "import", f.toString()).exitCode()).isZero();
        Path ce = dir.resolve("ce.ndjson");
        assertThat(Cli.at(url, "export", ce.toString(), "--format", "cloudevents").exitCode()).isZero();
        assertThat(json(Files.readAllLines(ce).get(0)).path("specversion").asText()).isEqualTo("1.0");

        try (AnnalsServer other = TestServers.memory()) {
            Cli.Result r = Cli.at(other.uri().toString(), "import", ce.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("57 stored");
            JsonNode e = json(Cli.at(other.uri().toString(), "get", "ev-10").out());
            assertThat(e.path("aggregate").path("id").asText()).isEqualTo("p1");
            assertThat(e.path("metadata").path("tags").get(0).asText()).isEqualTo("k0");
            assertThat(e.path("payload").toString()).isEqualTo("{\"i\":10,\"d\":2.50}");
        }
        // the same file again into the first server: every event is already there
        Cli.Result again = Cli.at(url, "import", ce.toString(), "--format", "cloudevents");
        assertThat(again.out()).contains("0 stored, 57 skipped");
    }

    @Test
    void badLinesAreReportedWithTheirNumbersAndTheRestIsStored() throws Exception {
        Path f = dir.resolve("mixed.ndjson");
        Files.write(f, List.of(
                "{\"id\":\"m-1\",\"type\":\"t\"}",
                "not json",
                "",
                "{\"id\":\"m-2\",\"type\":\"t\",\"time\":\"yesterday\"}",
                "{\"id\":\"" + "x".repeat(300) + "\",\"type\":\"t\"}",
                "{\"id\":\"m-3\",\"type\":\"t\"}"));
        Cli.Result r = Cli.at(url, "import", f.toString(), "--batch-size", "10");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("line 2:").contains("line 4:").contains("line 5:");
        assertThat(r.out()).contains("2 stored, 0 skipped (already stored), 3 failed");
        assertThat(Cli.at(url, "get", "m-3").exitCode()).isZero();
    }

    @Test
    void batchesOverTheServersBodyLimitAreSplit() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++)
            lines.add("{\"id\":\"big-" + i + "\",\"type\":\"t\",\"payload\":\"" + "x".repeat(300) + "\"}");
        lines.add("{\"id\":\"huge\",\"type\":\"t\",\"payload\":\"" + "y".repeat(8000) + "\"}");
        Path f = dir.resolve("big.ndjson");
        Files.write(f, lines);
        try (AnnalsServer small = AnnalsServer.start(io.annals.server.ServerConfig.load(null, java.util.Map.of(
                "annals.http.port", "0", "annals.store.engine", "memory", "annals.http.max-body-size", "4096")))) {
            Cli.Result r = Cli.at(small.uri().toString(), "import", f.toString(), "--batch-size", "100");
            assertThat(r.out()).contains("60 stored, 0 skipped (already stored), 1 failed");
            assertThat(r.err()).contains("line 61:");
            assertThat(r.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void importFromStdinAndExportToStdout() {
        String input = "{\"id\":\"s-1\",\"type\":\"t\"}\n{\"id\":\"s-2\",\"type\":\"t\"}\n";
        Cli.Result r = Cli.runWithInput(input, "--url", url, "import", "-");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 stored");
        Cli.Result out = Cli.at(url, "export", "-");
        assertThat(out.lines()).extracting(l -> json(l).path("id").asText()).containsExactly("s-1", "s-2");
    }

    @Test
    void exportWithFiltersWritesTheMatchesOnly() throws Exception {
        assertThat(Cli.at(url, "import", ndjson("in.ndjson", 40).toString()).exitCode()).isZero();
        Path out = dir.resolve("t1.ndjson");
        assertThat(Cli.at(url, "export", out.toString(), "--type", "t1").exitCode()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(10).allSatisfy(l -> assertThat(l).contains("\"type\":\"t1\""));
    }

    @Test
    void aFailedExportLeavesNoFileBehind() {
        Path out = dir.resolve("never.ndjson");
        Cli.Result r = Cli.run("--url", "http://127.0.0.1:1", "export", out.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(out).doesNotExist();
        assertThat(dir.toFile().list()).isEmpty();
    }
}
