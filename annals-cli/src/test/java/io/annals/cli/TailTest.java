package io.annals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.codec.Json;
import io.annals.server.AnnalsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code annals tail} against a real server (in-memory engine), one per test so that each log starts empty. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TailTest {
    private AnnalsServer server;
    private String url;
    private EventStore store;

    @TempDir Path dir;

    @BeforeEach
    void start() {
        server = TestServers.memory();
        url = server.uri().toString();
        store = server.store();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<Event> append(String type, int n, String tag) {
        for (int i = 0; i < n; i++) store.append(NewEvent.ofType(type).aggregate("acc", "a" + i % 2).tag(tag).build());
        return store.readLog(Position.start(), 1000).events();
    }

    private static List<String> ids(Cli.Result r) {
        return r.lines().stream().map(l -> Json.parse(Json.mapper(), l.getBytes(StandardCharsets.UTF_8)))
                .map(n -> n.path("id").asText()).toList();
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    /** The position tail reported on standard error. */
    private static String position(Cli.Result r) {
        for (String line : r.err().lines().toList()) if (line.startsWith("position: ")) return line.split(" ")[1];
        throw new AssertionError("no position in: " + r.err());
    }

    @Test
    void printsTheLogUpToItsHeadThenResumesFromThePositionItPrinted() {
        List<Event> first = append("t.a", 7, "x");
        Cli.Result r = Cli.at(url, "tail");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(ids(r)).containsExactlyElementsOf(ids(first));
        JsonNode line = Json.parse(Json.mapper(), r.lines().get(0).getBytes(StandardCharsets.UTF_8));
        assertThat(line.path("position").asText()).isEqualTo(first.get(0).position().value());
        assertThat(position(r)).isEqualTo(first.get(6).position().value());

        List<Event> all = append("t.b", 3, "y");
        Cli.Result next = Cli.at(url, "tail", "--from", position(r));
        assertThat(ids(next)).containsExactlyElementsOf(ids(all.subList(7, 10)));
    }

    @Test
    void filtersByTypeTagAndAggregateType() {
        append("f.a", 4, "x");
        append("f.b", 4, "y");
        List<Event> all = append("f.c", 4, "x");
        Cli.Result r = Cli.at(url, "tail", "--type", "f.a", "--type", "f.c", "--tag", "x", "--aggregate-type", "acc");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(ids(r)).containsExactlyElementsOf(ids(all.stream().filter(e -> !e.type().equals("f.b")).toList()));
        // the position passes the filtered-out tail too
        assertThat(position(r)).isEqualTo(all.get(11).position().value());
    }

    @Test
    void followPrintsNewEventsAsTheyArrive() throws Exception {
        String head = append("old", 3, "x").get(2).position().value();
        ExecutorService runner = Executors.newSingleThreadExecutor(); // not the common pool: it may have one worker
        try {
            CompletableFuture<Cli.Result> tail = CompletableFuture.supplyAsync(
                    () -> Cli.at(url, "tail", "--follow", "--from", head, "--limit", "2"), runner);
            List<Event> all = append("new", 2, "x");
            Cli.Result r = tail.get();
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(ids(r)).containsExactlyElementsOf(ids(all.subList(3, 5)));
            assertThat(position(r)).isEqualTo(all.get(4).position().value());
        } finally {
            runner.shutdownNow();
        }
    }

    @Test
    void aPositionFileMakesEachRunContinueWhereTheLastStopped() throws Exception {
        Path file = dir.resolve("tail.position");
        List<Event> first = append("p", 4, "x");
        assertThat(ids(Cli.at(url, "tail", "--position-file", file.toString()))).containsExactlyElementsOf(ids(first));
        assertThat(Files.readString(file).strip()).isEqualTo(first.get(3).position().value());
        List<Event> all = append("p", 2, "x");
        assertThat(ids(Cli.at(url, "tail", "--position-file", file.toString()))).containsExactlyElementsOf(ids(all.subList(4, 6)));
        assertThat(Cli.at(url, "tail", "--position-file", file.toString()).lines()).isEmpty();
    }

    @Test
    void aPositionTheServerNeverIssuedIsAnError() {
        append("x", 1, "x");
        Cli.Result r = Cli.at(url, "tail", "--from", "nonsense");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("nonsense");
    }
}
