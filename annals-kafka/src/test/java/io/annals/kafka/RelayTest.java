package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.SharedKafka;
import io.annals.kafka.api.KafkaRelay;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay against a real broker (shared) and a real RocksDB store. */
class RelayTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    EventStore store;
    String servers;

    @BeforeEach
    void open() {
        servers = SharedKafka.get().bootstrapServers();
        store = EventStores.open("rocksdb", EngineSettings.of(dir.resolve("data")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Appends {@code n} events over {@code aggregates} parcels (every fifth without aggregate), in batches of 50. */
    static List<Event> appendMany(EventStore store, String prefix, int n, int aggregates) {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NewEvent.Builder b = NewEvent.ofType(i % 3 == 0 ? "parcel.scanned" : "parcel.delivered").id(prefix + "-" + i)
                    .source("test").tag("t" + (i % 2)).payload("{\"n\":" + i + "}");
            if (i % 5 != 4) b.aggregate("parcel", prefix + "-p" + (i % aggregates));
            batch.add(b.build());
            if (batch.size() == 50 || i == n - 1) {
                store.append(batch);
                batch.clear();
            }
        }
        return readLog(store);
    }

    static List<Event> readLog(EventStore store) {
        List<Event> all = new ArrayList<>();
        // until the position stops moving: a page may hold no event and still move on (expired entries)
        for (Position p = Position.start(); ; ) {
            LogPage page = store.readLog(p, 1000);
            all.addAll(page.events());
            if (page.next().equals(p)) return all;
            p = page.next();
        }
    }

    @Test
    void everyEventReachesItsTopicWithItsKeyHeadersAndAggregateOrder() throws Exception {
        String prefix = Topics.unique("order");
        Topics.create(servers, 3, prefix + ".parcel.delivered", prefix + ".parcel.scanned");
        List<Event> log = appendMany(store, prefix, 1500, 40);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (KafkaRelay relay = KafkaRelay.builder(store).name(prefix).bootstrapServers(servers)
                .topic(prefix + ".{type}").pageSize(100).meterRegistry(meters).start()) {
            List<ConsumerRecord<byte[], byte[]>> delivered = Topics.readCount(servers, prefix + ".parcel.delivered", 1000, WAIT);
            List<ConsumerRecord<byte[], byte[]>> scanned = Topics.readCount(servers, prefix + ".parcel.scanned", 500, WAIT);
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>(delivered);
            all.addAll(scanned);
            assertThat(all).hasSize(1500);

            Map<String, Event> byId = log.stream().collect(Collectors.toMap(Event::id, e -> e));
            for (ConsumerRecord<byte[], byte[]> r : all) {
                Event e = byId.get(Topics.id(r));
                assertThat(e).as("record %s", Topics.id(r)).isNotNull();
                assertThat(r.topic()).isEqualTo(prefix + "." + e.type());
                assertThat(Topics.key(r)).isEqualTo(e.aggregate() == null ? e.id() : "parcel/" + e.aggregate().id());
                assertThat(Topics.header(r, "ce_type")).isEqualTo(e.type());
                assertThat(Topics.header(r, "ce_source")).isEqualTo("test");
                assertThat(Topics.header(r, "ce_specversion")).isEqualTo("1.0");
                assertThat(Topics.header(r, "ce_tags")).isEqualTo(String.join(",", e.tags()));
                assertThat(Topics.header(r, "ce_aggregateid")).isEqualTo(e.aggregate() == null ? null : e.aggregate().id());
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(e.payload().json());
            }
            // each aggregate's events of one topic arrive in log order (its partition keeps the order of its key)
            for (List<ConsumerRecord<byte[], byte[]>> topic : List.of(delivered, scanned)) {
                Map<String, List<String>> byKey = new LinkedHashMap<>();
                topic.stream().sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset))
                        .forEach(r -> byKey.computeIfAbsent(r.partition() + "|" + Topics.key(r), k -> new ArrayList<>()).add(Topics.id(r)));
                Map<String, List<String>> expected = new LinkedHashMap<>();
                for (Event e : log) {
                    if (!(prefix + "." + e.type()).equals(topic.get(0).topic())) continue;
                    String key = e.aggregate() == null ? e.id() : "parcel/" + e.aggregate().id();
                    expected.computeIfAbsent(key, k -> new ArrayList<>()).add(e.id());
                }
                Map<String, List<String>> actual = new LinkedHashMap<>();
                byKey.forEach((k, ids) -> actual.put(k.substring(k.indexOf('|') + 1), ids));
                assertThat(actual).isEqualTo(expected);
            }
            awaitAcknowledged(relay, log.get(log.size() - 1).position());
            assertThat(meters.get("annals.relay.published").counter().count()).isEqualTo(1500);
        }
        assertThat(store.checkpoints().get("relay/" + prefix)).contains(log.get(log.size() - 1).position());
        assertThat(meters.find("annals.relay.published").counter()).as("meters removed on close").isNull();
    }

    @Test
    void aRestartedRelayResumesFromItsCheckpoint() throws Exception {
        String topic = Topics.unique("resume");
        Topics.create(servers, 2, topic);
        List<Event> first = appendMany(store, topic + "a", 300, 7);
        try (KafkaRelay relay = KafkaRelay.builder(store).name(topic).bootstrapServers(servers).topic(topic).start()) {
            awaitAcknowledged(relay, first.get(first.size() - 1).position());
        }
        List<Event> all = appendMany(store, topic + "b", 200, 7);
        assertThat(all).hasSize(500);
        try (KafkaRelay relay = KafkaRelay.builder(store).name(topic).bootstrapServers(servers).topic(topic).start()) {
            awaitAcknowledged(relay, all.get(all.size() - 1).position());
        }
        List<ConsumerRecord<byte[], byte[]>> records = Topics.readCount(servers, topic, 500, WAIT);
        // a relay closed cleanly stored its place: the second one published only what came after it
        assertThat(records.stream().map(Topics::id).sorted().toList())
                .isEqualTo(all.stream().map(Event::id).sorted().toList());
    }

    @Test
    void eventsOfAMappedTypeGoToTheirOwnTopic() throws Exception {
        String prefix = Topics.unique("mapped");
        List<Event> log = appendMany(store, prefix, 30, 3);
        long scanned = log.stream().filter(e -> e.type().equals("parcel.scanned")).count();
        try (KafkaRelay relay = KafkaRelay.builder(store).name(prefix).bootstrapServers(servers).topic(prefix + ".rest")
                .topicForType("parcel.scanned", prefix + ".scans").start()) {
            awaitAcknowledged(relay, log.get(log.size() - 1).position());
        }
        assertThat(Topics.readCount(servers, prefix + ".scans", (int) scanned, WAIT)).hasSize((int) scanned)
                .allSatisfy(r -> assertThat(Topics.header(r, "ce_type")).isEqualTo("parcel.scanned"));
        assertThat(Topics.readCount(servers, prefix + ".rest", 30 - (int) scanned, WAIT)).hasSize(30 - (int) scanned)
                .allSatisfy(r -> assertThat(Topics.header(r, "ce_type")).isEqualTo("parcel.delivered"));
    }

    @Test
    void settingsThatCouldLoseEventsAreRefused() {
        assertThatThrownBy(() -> KafkaRelay.builder(store).bootstrapServers(servers).producerProperty("acks", "1").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks=all");
        assertThatThrownBy(() -> KafkaRelay.builder(store).bootstrapServers(servers)
                .producerProperty("enable.idempotence", "false").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.idempotence=true");
        assertThatThrownBy(() -> KafkaRelay.builder(store).start()).hasMessageContaining("bootstrap servers");
    }

    @Test
    void closingWhileKafkaIsUnreachableReturnsAndKeepsTheCheckpoint() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        appendMany(store, "down", 20, 3);
        // nothing listens there: sends wait for metadata (max.block.ms, 60 s by default) until close aborts them
        KafkaRelay relay = KafkaRelay.builder(store).name("down").bootstrapServers("127.0.0.1:" + port)
                .closeTimeout(Duration.ofMillis(500)).start();
        Thread.sleep(500);
        relay.close();
        assertThat(store.checkpoints().get("relay/down")).as("nothing was acknowledged, so nothing is skipped").isEmpty();
    }

    static void awaitAcknowledged(KafkaRelay relay, Position last) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!last.equals(relay.acknowledged()) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(relay.acknowledged()).isEqualTo(last);
    }
}
