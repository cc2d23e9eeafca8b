package io.annals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportTest {
    @TempDir
    Path dir;

    private static Result result(String name, long events, long latencyMicros) {
        Histogram h = new Histogram(60_000_000L, 3);
        h.recordValue(latencyMicros);
        return new Result(name, name, 1, events, events, 0, 1.0, h, 1_000_000_000L);
    }

    private static BenchOptions defaults() {
        BenchOptions o = new BenchOptions();
        new CommandLine(o).parseArgs();
        return o;
    }

    @Test
    void ratiosOfTheTargetsAreCheckedWithinTheRun() {
        List<Result> results = List.of(result("raw-32", 10_000, 2000), result("api-32", 13_000, 2000),
                result("raw-batch", 80_000, 1000), result("api-batch", 60_000, 1000),
                result("http-32", 11_000, 25_000), result("http-batch", 50_000, 3000));
        List<Report.Check> checks = Report.checks(results, defaults());
        assertThat(checks).extracting(Report.Check::what, Report.Check::met).containsExactly(
                org.assertj.core.groups.Tuple.tuple("api-32 / raw-32", true),
                org.assertj.core.groups.Tuple.tuple("api-batch / raw-batch", false),
                org.assertj.core.groups.Tuple.tuple("http-32 rate", false),
                org.assertj.core.groups.Tuple.tuple("http-32 / raw-32", true),
                org.assertj.core.groups.Tuple.tuple("http-32 p99", false),
                org.assertj.core.groups.Tuple.tuple("http-batch rate", true));
    }

    @Test
    void printsATableAndWritesJson() throws Exception {
        List<Result> results = List.of(result("raw-32", 10_000, 2000), result("api-32", 13_000, 2000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Report.print(new PrintStream(out, true, StandardCharsets.UTF_8), results, defaults());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| api-32 |", "13,000", "api-32 / raw-32", "met");

        Path json = dir.resolve("r.json");
        Report.writeJson(json, "all", results, defaults());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("scenarios").size()).isEqualTo(2);
        assertThat(root.path("scenarios").get(1).path("eventsPerSecond").asDouble()).isEqualTo(13_000.0);
        assertThat(root.path("targets").get(0).path("met").asBoolean()).isTrue();
    }
}
