package io.annals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.NewEvent;
import io.annals.core.api.codec.EventJson;
import io.annals.core.api.codec.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFactoryTest {
    @Test
    void postedEventsAreAboutTheAskedSizeAndParseBackToTheSameEvent() {
        EventFactory factory = new EventFactory(7, 300);
        for (int i = 0; i < 100; i++) {
            NewEvent e = factory.next(i % 2 == 0 ? null : Instant.parse("2026-01-02T03:04:05.123456Z"));
            byte[] json = EventFactory.json(e).getBytes(StandardCharsets.UTF_8);
            assertThat(json.length).isBetween(280, 340);
            assertThat(EventJson.readNewEvent(Json.parse(Json.mapper(), json))).isEqualTo(e);
        }
    }

    @Test
    void aBatchIsAJsonArrayOfItsEvents() {
        List<NewEvent> batch = new EventFactory(1, 300).batch(3);
        var node = Json.parse(Json.mapper(), EventFactory.jsonArray(batch).getBytes(StandardCharsets.UTF_8));
        assertThat(node.isArray()).isTrue();
        assertThat(node.size()).isEqualTo(3);
        assertThat(EventJson.readNewEvent(node.get(2))).isEqualTo(batch.get(2));
    }

    @Test
    void eventsSpreadOverTypesTagsAndAggregates() {
        EventFactory factory = new EventFactory(3, 300);
        var types = new java.util.HashSet<String>();
        var tags = new java.util.HashSet<String>();
        for (int i = 0; i < 2000; i++) {
            NewEvent e = factory.next(null);
            types.add(e.type());
            tags.addAll(e.tags());
        }
        assertThat(types).hasSize(EventFactory.TYPES);
        assertThat(tags).hasSize(EventFactory.TAGS);
    }
}
