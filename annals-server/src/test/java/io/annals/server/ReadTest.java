package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.Event;
import io.annals.core.api.EventOrdering;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /api/events (queries and continuation paging), GET /api/aggregates/.../events, GET /api/log. */
class ReadTest extends ServerTestSupport {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final int N = 230;

    /** N events of types page.a / page.b, tags even / odd / third, times over ~10 days with many ties. */
    @BeforeAll
    void appendFixture() {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < N; i++) {
            if (i > 0) batch.append(',');
            Instant time = T0.plusSeconds((i * 7919L % 97) * 3600 * 2 + (i % 3 == 0 ? 0 : i % 5));
            String tags = "\"" + (i % 2 == 0 ? "even" : "odd") + "\"" + (i % 3 == 0 ? ",\"third\"" : "");
            batch.append("{\"id\":\"q-").append(Integer.toString(i * 37 % 1000, 36)).append('-').append(i)
                    .append("\",\"type\":\"page.").append(i % 4 == 0 ? 'b' : 'a').append("\",\"time\":\"").append(time)
                    .append("\",\"metadata\":{\"tags\":[").append(tags).append("]},\"payload\":{\"i\":").append(i).append("}}");
        }
        Http.Resp r = http.postJson("/api/events", batch.append(']').toString());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private List<String> expected(Predicate<Event> filter, boolean descending) {
        Comparator<Event> order = descending ? EventOrdering.ASCENDING.reversed() : EventOrdering.ASCENDING;
        return everything().stream().filter(filter).sorted(order).map(Event::id).toList();
    }

    /** Follows continuation links from {@code first} to the end; checks each page's size. */
    private List<String> walk(String first, int limit) {
        List<String> ids = new ArrayList<>();
        String next = first;
        int pages = 0;
        while (next != null) {
            Http.Resp r = http.get(next);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode page = r.json();
            for (JsonNode e : page.get("events")) ids.add(e.get("id").asText());
            next = page.has("continuation") ? page.get("continuation").asText() : null;
            if (next != null) assertThat(page.get("events")).hasSize(limit);
            assertThat(++pages).isLessThan(10_000);
        }
        return ids;
    }

    @Test
    void pagingByTypeForwardsEqualsTheFullOrderedResult() {
        assertThat(walk("/api/events?type=page.a&limit=7", 7))
                .isEqualTo(expected(e -> e.type().equals("page.a"), false));
    }

    @Test
    void everyPageSizeInBothOrdersGivesTheFullResultOnce() {
        for (String filter : new String[] {"type=page.a", "tag=even", "type=page.b&tag=third", ""}) {
            Predicate<Event> matches = switch (filter) {
                case "type=page.a" -> e -> e.type().equals("page.a");
                case "tag=even" -> e -> e.tags().contains("even");
                case "type=page.b&tag=third" -> e -> e.type().equals("page.b") && e.tags().contains("third");
                default -> e -> true;
            };
            List<String> forwards = expected(matches, false);
            for (int limit : new int[] {1, 2, 3, 13, 57, forwards.size() - 1, forwards.size(), forwards.size() + 1}) {
                if (limit < 1 || limit > 1000) continue;
                String base = "/api/events?" + (filter.isEmpty() ? "" : filter + "&") + "limit=" + limit;
                assertThat(walk(base, limit)).as(base).isEqualTo(forwards);
                assertThat(walk(base + "&order=desc", limit)).as(base + " desc").isEqualTo(expected(matches, true));
            }
        }
    }

    @Test
    void pagingBackwardsEqualsTheReverse() {
        List<String> backwards = walk("/api/events?type=page.a&limit=9&order=desc", 9);
        assertThat(backwards).isEqualTo(expected(e -> e.type().equals("page.a"), true));
    }

    @Test
    void pagingByTagAndByTypeAndTagTogether() {
        assertThat(walk("/api/events?tag=third&limit=5", 5)).isEqualTo(expected(e -> e.tags().contains("third"), false));
        assertThat(walk("/api/events?type=page.b&tag=odd&limit=3", 3)).isEmpty();
        assertThat(walk("/api/events?type=page.b&tag=third&limit=4&order=desc", 4))
                .isEqualTo(expected(e -> e.type().equals("page.b") && e.tags().contains("third"), true))
                .isNotEmpty();
    }

    @Test
    void noFilterMeansAllEvents() {
        List<String> all = walk("/api/events?limit=1000", 1000);
        assertThat(all).isEqualTo(expected(e -> true, false));
        assertThat(walk("/api/events", 100)).isEqualTo(all);
    }

    @Test
    void timeRangeIsStartInclusiveEndExclusive() {
        List<String> all = expected(e -> e.type().startsWith("page."), false);
        Event pivot = everything().stream().filter(e -> e.id().equals(all.get(40))).findFirst().orElseThrow();
        Event last = everything().stream().filter(e -> e.id().equals(all.get(120))).findFirst().orElseThrow();
        Instant start = pivot.time();
        Instant end = last.time();
        List<String> got = walk("/api/events?type=page.a&start=" + start + "&end=" + end + "&limit=11", 11);
        assertThat(got).isEqualTo(expected(e -> e.type().equals("page.a") && !e.time().isBefore(start) && e.time().isBefore(end), false));
        // An offset is the same instant: 2024-01-01T01:00:00+01:00 is T0.
        Http.Resp offset = http.get("/api/events?type=page.a&end=2024-01-01T01:00:00%2B01:00");
        assertThat(offset.json().get("events").size())
                .isEqualTo(expected(e -> e.type().equals("page.a") && e.time().isBefore(T0), false).size());
    }

    @Test
    void continuationKeepsTheParametersExceptStartOffset() {
        Http.Resp r = http.get("/api/events?type=page.a&tag=even&start=2024-01-01T00:00:00Z&limit=2&order=asc&startOffset=3");
        String link = r.json().get("continuation").asText();
        assertThat(link).startsWith("/api/events?type=page.a&tag=even&start=2024-01-01T00%3A00%3A00Z&limit=2&order=asc&continueFrom=");
        assertThat(link).doesNotContain("startOffset");
        List<String> expected = expected(e -> e.type().equals("page.a") && e.tags().contains("even"), false);
        List<String> got = new ArrayList<>();
        r.json().get("events").forEach(e -> got.add(e.get("id").asText()));
        got.addAll(walk(link, 2));
        assertThat(got).isEqualTo(expected.subList(3, expected.size()));
    }

    @Test
    void lastPageHasNoContinuation() {
        int count = expected(e -> e.type().equals("page.b"), false).size();
        JsonNode exact = http.get("/api/events?type=page.b&limit=" + count).json();
        assertThat(exact.get("events")).hasSize(count);
        assertThat(exact.has("continuation")).isFalse();
        JsonNode nothing = http.get("/api/events?type=no.such.type").json();
        assertThat(nothing.get("events")).isEmpty();
        assertThat(nothing.has("continuation")).isFalse();
    }

    @Test
    void startOffsetSkipsMatches() {
        List<String> all = expected(e -> e.type().equals("page.a"), false);
        JsonNode page = http.get("/api/events?type=page.a&startOffset=10&limit=5").json();
        List<String> got = new ArrayList<>();
        page.get("events").forEach(e -> got.add(e.get("id").asText()));
        assertThat(got).isEqualTo(all.subList(10, 15));
    }

    @Test
    void eventsStoredBeforeTheFirstPageAreReturnedOnceWhileAppendsContinue() {
        String type = "page.live";
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            if (i > 0) b.append(',');
            b.append("{\"id\":\"live-").append(i).append("\",\"type\":\"").append(type).append("\",\"time\":\"")
                    .append(T0.plusSeconds(i * 60L)).append("\"}");
        }
        assertThat(http.postJson("/api/events", b.append(']').toString()).status()).isEqualTo(201);
        List<String> before = expected(e -> e.type().equals(type), false);

        List<String> seen = new ArrayList<>();
        String next = "/api/events?type=" + type + "&limit=6";
        int round = 0;
        while (next != null) {
            JsonNode page = http.get(next).json();
            page.get("events").forEach(e -> seen.add(e.get("id").asText()));
            next = page.has("continuation") ? page.get("continuation").asText() : null;
            // Late events behind the cursor and new ones ahead of it arrive between page reads.
            String late = "{\"id\":\"late-" + round + "\",\"type\":\"" + type + "\",\"time\":\"" + T0.minusSeconds(round + 1) + "\"}";
            String ahead = "{\"id\":\"ahead-" + round + "\",\"type\":\"" + type + "\",\"time\":\"" + T0.plusSeconds(100_000 + round) + "\"}";
            assertThat(http.postJson("/api/events", "[" + late + "," + ahead + "]").status()).isEqualTo(201);
            round++;
        }
        Set<String> unique = new HashSet<>(seen);
        assertThat(unique).hasSameSizeAs(seen);
        assertThat(seen.stream().filter(before::contains).toList()).isEqualTo(before);
        assertThat(seen).noneMatch(id -> id.startsWith("late-"));
    }

    @Test
    void aggregateHistoryWithETagAndNotModified() {
        for (int i = 0; i < 5; i++) {
            // Event time runs backwards: the history is ordered by event time, not by append.
            Http.Resp r = http.postJson("/api/events", "{\"id\":\"agg-" + i + "\",\"type\":\"scanned\",\"aggregate\":"
                    + "{\"type\":\"parcel\",\"id\":\"p/7 x\"},\"time\":\"" + T0.minusSeconds(i * 10L) + "\"}");
            assertThat(r.status()).isEqualTo(201);
        }
        Http.Resp r = http.get("/api/aggregates/parcel/p%2F7%20x/events");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo("\"5\"");
        assertThat(r.json().get("streamVersion").asLong()).isEqualTo(5);
        List<String> ids = new ArrayList<>();
        r.json().get("events").forEach(e -> ids.add(e.get("id").asText()));
        assertThat(ids).containsExactly("agg-4", "agg-3", "agg-2", "agg-1", "agg-0");
        assertThat(r.json().has("continuation")).isFalse();

        Http.Resp cached = http.get("/api/aggregates/parcel/p%2F7%20x/events", "If-None-Match", "\"5\"");
        assertThat(cached.status()).isEqualTo(304);
        assertThat(cached.header("ETag")).isEqualTo("\"5\"");
        assertThat(http.get("/api/aggregates/parcel/p%2F7%20x/events", "If-None-Match", "W/\"4\", \"3\"").status()).isEqualTo(200);

        Http.Resp desc = http.get("/api/aggregates/parcel/p%2F7%20x/events?order=desc&limit=2");
        assertThat(desc.json().get("events").get(0).get("id").asText()).isEqualTo("agg-0");
        String link = desc.json().get("continuation").asText();
        assertThat(link).startsWith("/api/aggregates/parcel/p%2F7%20x/events?limit=2&order=desc&continueFrom=");
        List<String> rest = new ArrayList<>();
        String next = link;
        while (next != null) {
            JsonNode page = http.get(next).json();
            page.get("events").forEach(e -> rest.add(e.get("id").asText()));
            next = page.has("continuation") ? page.get("continuation").asText() : null;
        }
        assertThat(rest).containsExactly("agg-2", "agg-3", "agg-4");

        Http.Resp ranged = http.get("/api/aggregates/parcel/p%2F7%20x/events?start=" + T0.minusSeconds(20) + "&end=" + T0);
        assertThat(ranged.json().get("events")).hasSize(2);

        Http.Resp none = http.get("/api/aggregates/parcel/nobody/events");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.header("ETag")).isEqualTo("\"0\"");
        assertThat(none.json().get("events")).isEmpty();
    }

    @Test
    void globalLogInCaptureOrder() {
        List<Event> all = everything();
        List<String> ids = new ArrayList<>();
        String from = "start";
        while (true) {
            JsonNode page = http.get("/api/log?limit=50&from=" + from).json();
            if (page.get("events").isEmpty()) {
                assertThat(page.get("next").asText()).isEqualTo(from);
                break;
            }
            page.get("events").forEach(e -> ids.add(e.get("id").asText()));
            from = page.get("next").asText();
        }
        assertThat(ids).isEqualTo(all.stream().map(Event::id).toList());
        assertThat(http.get("/api/log").json().get("events").size()).isEqualTo(Math.min(100, all.size()));
    }

    @Test
    void getUnknownEventIsANotFoundProblem() {
        Http.Resp r = http.get("/api/events/nope");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).hasValue("application/problem+json");
        assertThat(r.json().get("type").asText()).isEqualTo("https://annals.io/problems/not-found");
        assertThat(r.json().get("detail").asText()).contains("nope");
        assertThat(r.json().get("eventId").asText()).isEqualTo("nope");
    }
}
