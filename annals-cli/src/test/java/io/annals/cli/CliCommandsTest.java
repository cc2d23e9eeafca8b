package io.annals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.codec.Json;
import io.annals.server.AnnalsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** post, get and query run in this JVM against a real server on the in-memory engine. */
class CliCommandsTest {
    private static AnnalsServer server;
    private static String url;

    @TempDir Path dir;

    @BeforeAll
    static void start() {
        server = TestServers.memory();
        url = server.uri().toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(String text) {
        return Json.parse(Json.mapper(), text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Test
    void postBuiltFromFlagsThenGetPrintsIt() {
        String id = unique("e");
        String parcel = unique("p");
        Cli.Result post = Cli.at(url, "post", "--type", "parcel.delivered", "--aggregate", "parcel/" + parcel,
                "--data", "{\"deliveryAddress\":\"123 Sudbury Avenue\",\"w\":1.10}", "--id", id, "--tag", "london",
                "--meta", "k=v", "--time", "2016-03-31T10:36:42.171234Z", "--source", "depot-scanner:7");
        assertThat(post.exitCode()).as(post.err()).isZero();
        JsonNode answer = json(post.out()).path("events").get(0);
        assertThat(answer.path("id").asText()).isEqualTo(id);
        assertThat(answer.path("streamVersion").asLong()).isEqualTo(1);
        assertThat(answer.path("duplicate").asBoolean()).isFalse();

        Cli.Result get = Cli.at(url, "get", id);
        assertThat(get.exitCode()).isZero();
        JsonNode e = json(get.out());
        assertThat(e.path("type").asText()).isEqualTo("parcel.delivered");
        assertThat(e.path("aggregate").path("id").asText()).isEqualTo(parcel);
        assertThat(e.path("time").asText()).isEqualTo("2016-03-31T10:36:42.171234Z");
        assertThat(e.path("metadata").path("tags").get(0).asText()).isEqualTo("london");
        assertThat(e.path("metadata").path("k").asText()).isEqualTo("v");
        assertThat(get.out()).contains("\"w\":1.10");

        Cli.Result ce = Cli.at(url, "get", id, "--format", "cloudevents");
        assertThat(json(ce.out()).path("specversion").asText()).isEqualTo("1.0");
        assertThat(json(ce.out()).path("subject").asText()).isEqualTo(parcel);
    }

    @Test
    void postTakesJsonFromArgumentFileAndStdinInBothForms() throws Exception {
        String a = unique("arg");
        assertThat(Cli.at(url, "post", "{\"id\":\"" + a + "\",\"type\":\"t\",\"payload\":[1,2]}").exitCode()).isZero();
        String b = unique("file");
        Path f = dir.resolve("e.json");
        Files.writeString(f, "[{\"id\":\"" + b + "-1\",\"type\":\"t\"},{\"id\":\"" + b + "-2\",\"type\":\"t\"}]");
        Cli.Result batch = Cli.at(url, "post", "--file", f.toString());
        assertThat(batch.exitCode()).as(batch.err()).isZero();
        assertThat(json(batch.out()).path("events")).hasSize(2);
        String c = unique("ce");
        Cli.Result ce = Cli.runWithInput("{\"specversion\":\"1.0\",\"id\":\"" + c + "\",\"source\":\"s\",\"type\":\"t\","
                + "\"subject\":\"p1\",\"aggregatetype\":\"parcel\",\"data\":{\"x\":1}}", "--url", url, "post");
        assertThat(ce.exitCode()).as(ce.err()).isZero();
        assertThat(json(Cli.at(url, "get", a).out()).path("payload").toString()).isEqualTo("[1,2]");
        assertThat(Cli.at(url, "get", b + "-2").exitCode()).isZero();
        assertThat(json(Cli.at(url, "get", c).out()).path("aggregate").path("type").asText()).isEqualTo("parcel");
    }

    @Test
    void postTwiceIsADuplicateAndAStaleExpectedVersionFailsWithTheServersWords() {
        String id = unique("twice");
        String body = "{\"id\":\"" + id + "\",\"type\":\"t\",\"time\":\"2020-01-01T00:00:00Z\"}";
        assertThat(Cli.at(url, "post", body).exitCode()).isZero();
        Cli.Result again = Cli.at(url, "post", body);
        assertThat(again.exitCode()).isZero();
        assertThat(json(again.out()).path("events").get(0).path("duplicate").asBoolean()).isTrue();

        String agg = "account/" + unique("a");
        assertThat(Cli.at(url, "post", "--type", "opened", "--aggregate", agg, "--expected-version", "noStream").exitCode())
                .isZero();
        Cli.Result stale = Cli.at(url, "post", "--type", "opened", "--aggregate", agg, "--expected-version", "noStream");
        assertThat(stale.exitCode()).isEqualTo(1);
        assertThat(stale.err()).startsWith("error: ").contains("version 1").contains("noStream");
    }

    @Test
    void refusedEventsExitOneWithAClearMessage() {
        Cli.Result tooLong = Cli.at(url, "post", "--type", "t", "--id", "x".repeat(300));
        assertThat(tooLong.exitCode()).isEqualTo(1);
        assertThat(tooLong.err()).startsWith("error: ").contains("id").doesNotContain("Exception");
        Cli.Result badJson = Cli.at(url, "post", "{\"type\":");
        assertThat(badJson.exitCode()).isEqualTo(1);
        assertThat(badJson.err()).contains("not valid JSON");
        Cli.Result missing = Cli.at(url, "get", unique("missing"));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no event with id");
    }

    @Test
    void queryFollowsEveryContinuationAndPrintsNdjson() {
        String type = unique("q");
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 23; i++) {
            if (i > 0) batch.append(',');
            batch.append("{\"id\":\"").append(String.format("%s-%02d", type, i)).append("\",\"type\":\"").append(type)
                    .append("\",\"time\":\"2020-01-01T00:00:").append(String.format("%02d", i / 2)).append("Z\"")
                    .append(i % 3 == 0 ? ",\"metadata\":{\"tags\":[\"third\"]}" : "").append('}');
        }
        assertThat(Cli.at(url, "post", batch.append(']').toString()).exitCode()).isZero();

        Cli.Result all = Cli.at(url, "query", "--type", type, "--page-size", "4");
        assertThat(all.exitCode()).as(all.err()).isZero();
        List<String> ids = all.lines().stream().map(l -> json(l).path("id").asText()).toList();
        assertThat(ids).hasSize(23).doesNotHaveDuplicates();
        assertThat(ids).isSorted(); // same order as time-then-id here, by construction

        Cli.Result desc = Cli.at(url, "query", "--type", type, "--order", "desc", "--page-size", "5");
        assertThat(desc.lines().stream().map(l -> json(l).path("id").asText()).toList())
                .containsExactlyElementsOf(reversed(ids));

        assertThat(Cli.at(url, "query", "--type", type, "--limit", "6", "--page-size", "4").lines()).hasSize(6);
        assertThat(Cli.at(url, "query", "--type", type, "--tag", "third").lines()).hasSize(8);
        assertThat(Cli.at(url, "query", "--type", type, "--start", "2020-01-01T00:00:02Z", "--end",
                "2020-01-01T00:00:04Z").lines()).hasSize(4);
        assertThat(Cli.at(url, "query", "--type", type, "--start-offset", "20").lines()).hasSize(3);
    }

    private static List<String> reversed(List<String> list) {
        List<String> copy = new java.util.ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    @Test
    void queryReadsAnAggregateHistory() {
        String agg = "parcel/" + unique("h");
        for (int i = 0; i < 7; i++) Cli.at(url, "post", "--type", "scanned", "--aggregate", agg);
        Cli.Result history = Cli.at(url, "query", "--aggregate", agg, "--page-size", "3");
        assertThat(history.exitCode()).as(history.err()).isZero();
        assertThat(history.lines()).hasSize(7);
        assertThat(history.lines().stream().map(l -> json(l).path("streamVersion").asLong()).toList())
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void anUnreachableServerIsAClearFailure() {
        Cli.Result r = Cli.run("--url", "http://127.0.0.1:1", "get", "x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("cannot connect").contains("annals serve");
    }

    @Test
    void urlCanBeGivenBeforeOrAfterTheCommand() {
        String id = unique("where");
        assertThat(Cli.run("post", "--url", url, "--type", "t", "--id", id).exitCode()).isZero();
        assertThat(Cli.run("get", id, "--url", url).exitCode()).isZero();
    }
}
