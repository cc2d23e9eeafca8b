package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.SharedKafka;
import io.annals.kafka.api.KafkaIngest;
import io.annals.kafka.api.KafkaRelay;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relay to a topic, ingest from it into a second store; dead letters. Real broker (shared), real RocksDB. */
class IngestTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    EventStore source;
    EventStore target;
    String servers;

    @BeforeEach
    void open() {
        servers = SharedKafka.get().bootstrapServers();
        source = EventStores.open("rocksdb", EngineSettings.of(dir.resolve("source")));
        target = EventStores.open("rocksdb", EngineSettings.of(dir.resolve("target")));
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    @Test
    void eventsRelayedToATopicAreIngestedOnceIntoAnotherStore() throws Exception {
        String topic = Topics.unique("roundtrip");
        Topics.create(servers, 3, topic);
        List<Event> log = RelayTest.appendMany(source, topic, 400, 9);
        // publish everything twice: a relay that lost its checkpoint repeats itself, the ingest must not
        for (int round = 0; round < 2; round++) {
            try (KafkaRelay relay = KafkaRelay.builder(source).name(topic).bootstrapServers(servers).topic(topic).start()) {
                RelayTest.awaitAcknowledged(relay, log.get(log.size() - 1).position());
            }
            source.checkpoints().delete("relay/" + topic);
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (KafkaIngest ingest = KafkaIngest.builder(target).bootstrapServers(servers).topics(topic)
                .group(topic + "-group").meterRegistry(meters).start()) {
            awaitCount(meters, "annals.ingest.events", 800);
            assertThat(meters.get("annals.ingest.events").tag("outcome", "appended").counter().count()).isEqualTo(400);
            assertThat(meters.get("annals.ingest.events").tag("outcome", "duplicate").counter().count()).isEqualTo(400);
        }
        List<Event> copied = RelayTest.readLog(target);
        assertThat(copied).hasSize(400);
        Map<String, Event> byId = new java.util.HashMap<>();
        copied.forEach(e -> byId.put(e.id(), e));
        for (Event e : log) {
            Event c = byId.get(e.id());
            assertThat(c).as(e.id()).isNotNull();
            assertThat(c.sameContentAs(e, true)).as("%s copied as %s", e, c).isTrue();
        }
        // each aggregate's history in the copy is the original's (same events, same order)
        AggregateId parcel = log.get(0).aggregate();
        assertThat(target.readAggregate(AggregateQuery.of(parcel)).events().stream().map(Event::id).toList())
                .isEqualTo(source.readAggregate(AggregateQuery.of(parcel)).events().stream().map(Event::id).toList());
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicWithTheReason() throws Exception {
        String topic = Topics.unique("dlq");
        String good = "{\"specversion\":\"1.0\",\"id\":\"" + topic + "-ok\",\"source\":\"shop\",\"type\":\"order.placed\","
                + "\"data\":{\"total\":12}}";
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(record(topic, "not an event", List.of())).get(30, TimeUnit.SECONDS);
            producer.send(record(topic, "{\"specversion\":\"1.0\"}",
                    List.of(header("content-type", "application/cloudevents+json")))).get(30, TimeUnit.SECONDS);
            producer.send(record(topic, good,
                    List.of(header("content-type", "application/cloudevents+json")))).get(30, TimeUnit.SECONDS);
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (KafkaIngest ingest = KafkaIngest.builder(target).bootstrapServers(servers).topics(topic)
                .group(topic + "-group").meterRegistry(meters).start()) {
            List<ConsumerRecord<byte[], byte[]>> dead = Topics.readCount(servers, topic + ".dlq", 2, WAIT);
            assertThat(dead).hasSize(2);
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not an event");
            assertThat(Topics.header(dead.get(0), KafkaIngest.DEAD_LETTER_REASON)).contains("not a CloudEvent");
            assertThat(Topics.header(dead.get(1), KafkaIngest.DEAD_LETTER_REASON)).contains("required");
            awaitCount(meters, "annals.ingest.events", 1);
        }
        assertThat(target.get(topic + "-ok")).hasValueSatisfying(e -> {
            assertThat(e.type()).isEqualTo("order.placed");
            assertThat(e.payload().json()).isEqualTo("{\"total\":12}");
        });
        // the group committed past all three: a new member of it finds nothing to do
        try (KafkaIngest again = KafkaIngest.builder(target).bootstrapServers(servers).topics(topic)
                .group(topic + "-group").meterRegistry(meters).start()) {
            Thread.sleep(2000);
        }
        assertThat(Topics.readCount(servers, topic + ".dlq", 3, Duration.ofSeconds(3))).hasSize(2);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String value,
                                                         List<org.apache.kafka.common.header.Header> headers) {
        return new ProducerRecord<byte[], byte[]>(topic, (Integer) null, (byte[]) null, utf8(value), headers);
    }

    private static org.apache.kafka.common.header.Header header(String key, String value) {
        return new org.apache.kafka.common.header.internals.RecordHeader(key, utf8(value));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void awaitCount(SimpleMeterRegistry meters, String name, double count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (total(meters, name) < count && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(total(meters, name)).isEqualTo(count);
    }

    private static double total(SimpleMeterRegistry meters, String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
