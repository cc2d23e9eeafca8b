package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.core.api.NewEvent;
import io.annals.devservers.KafkaNode;
import io.annals.kafka.api.KafkaRelay;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault test, on RocksDB and on Cassandra: the broker (one of this test's own) is stopped for 30 s while events are appended and relayed, then
 * started again. Appends go on all the while, and every acknowledged event ends up in the topic.
 */
class BrokerOutageTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rocksdb", "cassandra"})
    void everyAcknowledgedEventReachesKafkaAfterA30SecondOutage(String engine) throws Exception {
        try (KafkaNode kafka = KafkaNode.builder().workDir(dir.resolve("kafka")).deleteWorkDirOnClose(true).build().start();
             EventStore store = TestStores.open(TestStores.spec(engine, "broker_outage"), dir.resolve("data"))) {
            String servers = kafka.bootstrapServers();
            String topic = "outage";
            Topics.create(servers, 3, topic);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            List<String> acked = new ArrayList<>();
            AtomicBoolean appending = new AtomicBoolean(true);
            // short producer time-outs: sends fail during the outage, so the relay's own retry from its checkpoint runs
            try (KafkaRelay relay = KafkaRelay.builder(store).name("outage").bootstrapServers(servers).topic(topic)
                    .producerProperty("delivery.timeout.ms", "6000").producerProperty("request.timeout.ms", "2000")
                    .producerProperty("max.block.ms", "2000").backoff(Duration.ofMillis(100), Duration.ofSeconds(2))
                    .meterRegistry(meters).start()) {
                Thread writer = new Thread(() -> {
                    for (int batch = 0; appending.get(); batch++) {
                        List<NewEvent> events = new ArrayList<>();
                        for (int i = 0; i < 10; i++)
                            events.add(NewEvent.ofType("parcel.scanned").id("o-" + batch + "-" + i)
                                    .aggregate("parcel", "p" + (batch % 7)).payload("{\"i\":" + i + "}").build());
                        store.append(events);
                        synchronized (acked) {
                            events.forEach(e -> acked.add(e.id()));
                        }
                        sleep(20);
                    }
                }, "writer");
                writer.start();
                sleep(3000);
                int before = count(acked);
                kafka.stop();
                sleep(30_000);
                int during = count(acked) - before;
                kafka.start();
                sleep(3000);
                appending.set(false);
                writer.join();
                // appends did not wait for Kafka
                assertThat(during).as("events acknowledged while the broker was down").isGreaterThan(100);
                assertThat(meters.get("annals.relay.errors").counter().count()).as("failed sends retried").isPositive();

                Set<String> ids;
                synchronized (acked) {
                    ids = new HashSet<>(acked);
                }
                List<ConsumerRecord<byte[], byte[]>> records = Topics.readIds(servers, topic, ids, Duration.ofSeconds(120));
                Set<String> published = new HashSet<>();
                records.forEach(r -> published.add(Topics.id(r)));
                assertThat(published).as("published (%d records)", records.size()).containsAll(ids);
                System.out.printf("acknowledged %d (%d during the outage), records %d%n", ids.size(), during, records.size());
            }
        }
    }

    private static int count(List<String> acked) {
        synchronized (acked) {
            return acked.size();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
