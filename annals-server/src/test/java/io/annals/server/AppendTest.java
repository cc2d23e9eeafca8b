package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class AppendTest extends ServerTestSupport {

    @Test
    void singleEventIsStoredAndCanBeReadBack() {
        Http.Resp r = http.postJson("/api/events", """
                {"id":"a-1","type":"parcel.delivered","aggregate":{"type":"parcel","id":"p1"},
                 "time":"2016-03-31T10:36:42.171234Z","payload":{"deliveryAddress":"123 Sudbury Avenue","n":1.50}}""");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.header("Location")).isEqualTo("/api/events/a-1");
        JsonNode e = r.json().get("events").get(0);
        assertThat(e.get("id").asText()).isEqualTo("a-1");
        assertThat(e.get("streamVersion").asLong()).isEqualTo(1);
        assertThat(e.get("duplicate").asBoolean()).isFalse();
        assertThat(e.get("position").asText()).isNotEmpty();

        Http.Resp got = http.get("/api/events/a-1");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("payload").toString()).isEqualTo("{\"deliveryAddress\":\"123 Sudbury Avenue\",\"n\":1.50}");
        assertThat(got.json().get("time").asText()).isEqualTo("2016-03-31T10:36:42.171234Z");
    }
}
