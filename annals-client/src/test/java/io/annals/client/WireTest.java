package io.annals.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.client.internal.Wire;
import io.annals.core.api.AggregateId;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.NewEvent;
import io.annals.core.api.codec.AppendBody;
import io.annals.core.api.codec.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The client's JSON matches what core's codec (which the server uses) reads and writes. */
class WireTest {

    private static JsonNode json(String text) {
        return Json.parse(Json.mapper(), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAppendBodyReadsBackAsTheSameRequest() {
        AppendRequest request = AppendRequest.of(
                NewEvent.ofType("parcel.delivered").id("e1").source("s").aggregate("parcel", "p1")
                        .time(Instant.parse("2016-03-31T10:36:42.171234Z")).meta("k", "v").tag("a").tag("b")
                        .payload("{\"x\":1.10,\"y\":[true,null]}").ttl(Duration.ofDays(30)).build(),
                NewEvent.ofType("t").aggregate("parcel", "p1").build())
                .expecting(ExpectedVersion.exactly(4));
        byte[] body = Wire.appendBody(request);
        AppendRequest back = AppendBody.read(Json.parse(Json.mapper(), body), false);
        assertThat(back).isEqualTo(request);
    }

    @Test
    void storedEventsParseAndUnknownMembersAreIgnored() {
        Event e = Wire.event(json("""
                {"id":"e1","type":"t","version":2,"aggregate":{"type":"parcel","id":"p1"},
                 "time":"2016-03-31T10:36:42.171234Z","processedAt":"2016-03-31T10:36:48.390412Z",
                 "metadata":{"tags":["x"]},"payload":{"n":1.10},"position":"42","streamVersion":4,
                 "someFutureField":{"a":1}}"""));
        assertThat(e.id()).isEqualTo("e1");
        assertThat(e.version()).isEqualTo(2);
        assertThat(e.aggregate()).isEqualTo(AggregateId.of("parcel", "p1"));
        assertThat(e.processedAt()).isEqualTo(Instant.parse("2016-03-31T10:36:48.390412Z"));
        assertThat(e.tags()).containsExactly("x");
        assertThat(e.payload().json()).isEqualTo("{\"n\":1.10}");
        assertThat(e.position().value()).isEqualTo("42");
        assertThat(e.streamVersion()).isEqualTo(4);
    }

    @Test
    void theContinuationTokenBecomesTheNextCursor() {
        String event = "{\"id\":\"e9\",\"type\":\"t\",\"time\":\"2020-01-01T00:00:00Z\",\"processedAt\":\"2020-01-01T00:00:00Z\"}";
        io.annals.core.api.Cursor cursor = new io.annals.core.api.Cursor(Instant.parse("2020-01-01T00:00:00Z"), "e9");
        EventPage page = Wire.eventPage(json("{\"events\":[" + event + "],\"continuation\":\"/api/events?type=t&limit=1"
                + "&continueFrom=" + cursor.encode() + "\"}"));
        assertThat(page.next()).isEqualTo(cursor);
        assertThat(Wire.eventPage(json("{\"events\":[" + event + "]}")).hasMore()).isFalse();
        // a token in another form: the last event marks the place
        EventPage other = Wire.eventPage(json("{\"events\":[" + event + "],\"continuation\":\"/api/events?continueFrom=zz%21\"}"));
        assertThat(other.next()).isEqualTo(cursor);
    }
}
