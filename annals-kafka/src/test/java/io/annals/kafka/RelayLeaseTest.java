package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.Lease;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.SharedKafka;
import io.annals.kafka.api.KafkaRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relays of one name on one store: one publishes at a time, the other takes over when it closes or dies. */
class RelayLeaseTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    EventStore store;

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    private static KafkaRelay.Builder relay(EventStore store, String name, String topic) {
        return KafkaRelay.builder(store).name(name).bootstrapServers(SharedKafka.get().bootstrapServers()).topic(topic)
                .leaseTtl(Duration.ofSeconds(2)).checkpointInterval(Duration.ofMillis(20));
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + WAIT + ": " + what);
            Thread.sleep(20);
        }
    }

    private static Set<String> ids(List<Event> events) {
        return events.stream().map(Event::id).collect(Collectors.toSet());
    }

    @Test
    void aSecondRelayOfTheSameNameWaitsWhileTheFirstPublishesAndTakesOverWhenItCloses() throws Exception {
        store = EventStores.open("rocksdb", EngineSettings.of(dir.resolve("data")));
        String servers = SharedKafka.get().bootstrapServers();
        String topic = Topics.unique("twins");
        Topics.create(servers, 1, topic);

        KafkaRelay first = relay(store, "twins", topic).start();
        KafkaRelay second;
        try {
            await("the first relay holds the lease", first::isPublishing);
            second = relay(store, "twins", topic).start();
            List<Event> before = RelayTest.appendMany(store, "a", 200, 7);
            Event last = before.get(before.size() - 1);
            await("the first relay acknowledged every event", () -> last.position().equals(first.acknowledged()));
            assertThat(second.isPublishing()).isFalse();
            assertThat(second.acknowledged()).as("the second relay has not even read the checkpoint").isNull();
        } finally {
            first.close(); // stores its checkpoint and gives the lease up
        }
        try {
            assertThat(first.isPublishing()).isFalse();
            await("the second relay took over", second::isPublishing);
            Set<String> after = new HashSet<>();
            List<Event> all = RelayTest.appendMany(store, "b", 100, 7);
            for (Event e : all) if (e.id().startsWith("b-")) after.add(e.id());
            // one partition: anything the second relay sent again of the first events comes before the new ones
            List<ConsumerRecord<byte[], byte[]>> records = Topics.readIds(servers, topic, after, WAIT);
            List<String> published = records.stream().map(Topics::id).toList();
            assertThat(new HashSet<>(published)).isEqualTo(ids(all));
            assertThat(published).as("each event published once: never by both relays").doesNotHaveDuplicates();
        } finally {
            second.close();
        }
    }

    @Test
    void aRelayTakesOverFromADeadRelayOfItsNameWhenTheDeadOnesLeaseRunsOut() throws Exception {
        store = EventStores.open("memory", EngineSettings.of(null));
        String servers = SharedKafka.get().bootstrapServers();
        String topic = Topics.unique("ghost");
        Topics.create(servers, 1, topic);
        // a relay of this name that took the lease and died: it never renews nor gives it up
        Lease dead = new Lease(store.keyValues(), "relay:ghost", "lease", Duration.ofSeconds(2));
        assertThat(dead.acquireOrRenew()).isTrue();

        try (KafkaRelay relay = relay(store, "ghost", topic).start()) {
            List<Event> events = RelayTest.appendMany(store, "g", 50, 3);
            List<ConsumerRecord<byte[], byte[]>> records = Topics.readIds(servers, topic, ids(events), WAIT);
            assertThat(records.stream().map(Topics::id).collect(Collectors.toSet())).isEqualTo(ids(events));
            assertThat(relay.isPublishing()).isTrue();
            assertThat(dead.acquireOrRenew()).as("the lease is the live relay's now").isFalse();
        }
        assertThat(dead.acquireOrRenew()).as("the closed relay gave the lease up").isTrue();
    }
}
