package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.Position;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.SharedCassandra;
import io.annals.devservers.SharedKafka;
import io.annals.kafka.api.KafkaRelay;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay on the Cassandra engine (the shared node), whose log is read behind a settle delay: every event reaches
 * the topic with its aggregate's order, and a restarted relay resumes from the checkpoint Cassandra keeps.
 */
class CassandraRelayTest {
    @TempDir
    Path dir;

    private EventStore open() {
        InetSocketAddress node = SharedCassandra.get().contactPoint();
        Map<String, String> options = Map.of("contact-points", node.getHostString() + ":" + node.getPort(),
                "local-datacenter", "datacenter1", "keyspace", "kafka_relay_" + Long.toString(System.nanoTime() % 1_000_000, 36),
                "request-timeout", "PT10S", "log.settle-delay", "PT1S",
                "driver.advanced.metadata.schema.debouncer.window", "10 milliseconds");
        return EventStores.open("cassandra", new EngineSettings(dir, options, Clock.systemUTC()));
    }

    @Test
    void theRelayPublishesACassandraLogInOrderAndResumes() throws Exception {
        String servers = SharedKafka.get().bootstrapServers();
        String topic = Topics.unique("cassandra");
        Topics.create(servers, 3, topic);
        try (EventStore store = open()) {
            RelayTest.appendMany(store, topic + "a", 200, 6);
            Position first = awaitLog(store, 200);
            try (KafkaRelay relay = KafkaRelay.builder(store).name(topic).bootstrapServers(servers).topic(topic).start()) {
                RelayTest.awaitAcknowledged(relay, first);
            }
            RelayTest.appendMany(store, topic + "b", 100, 6);
            Position last = awaitLog(store, 300);
            try (KafkaRelay relay = KafkaRelay.builder(store).name(topic).bootstrapServers(servers).topic(topic).start()) {
                RelayTest.awaitAcknowledged(relay, last);
            }
            List<Event> log = RelayTest.readLog(store);
            List<ConsumerRecord<byte[], byte[]>> records = Topics.readCount(servers, topic, 300, Duration.ofSeconds(60));
            assertThat(records.stream().map(Topics::id).sorted().toList())
                    .as("every event once: the second relay started after the first one's checkpoint")
                    .isEqualTo(log.stream().map(Event::id).sorted().toList());
            Map<String, List<String>> expected = new LinkedHashMap<>();
            for (Event e : log) expected.computeIfAbsent(key(e), k -> new ArrayList<>()).add(e.id());
            Map<String, List<String>> actual = new LinkedHashMap<>();
            records.stream().sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset))
                    .forEach(r -> actual.computeIfAbsent(Topics.key(r), k -> new ArrayList<>()).add(Topics.id(r)));
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static String key(Event e) {
        return e.aggregate() == null ? e.id() : e.aggregate().type() + "/" + e.aggregate().id();
    }

    /** Waits until the log (behind its settle delay) shows {@code count} events; returns the last one's position. */
    private static Position awaitLog(EventStore store, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Event> log = RelayTest.readLog(store);
        while (log.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            log = RelayTest.readLog(store);
        }
        assertThat(log).hasSize(count);
        return log.get(log.size() - 1).position();
    }
}
