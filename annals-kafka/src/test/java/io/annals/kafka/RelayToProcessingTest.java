package io.annals.kafka;

import static io.annals.sourcing.api.At.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.SharedKafka;
import io.annals.kafka.api.KafkaRelay;
import io.annals.kafka.api.KafkaTransport;
import io.annals.sourcing.api.Domain;
import io.annals.sourcing.api.Processing;
import io.annals.sourcing.api.Schedule;
import io.annals.sourcing.api.Sourcing;
import io.annals.sourcing.schedules.Bulb;
import io.annals.sourcing.schedules.Shipment;
import io.annals.sourcing.schedules.Tracker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay and the durable schedule's transport write one format: each reads what the other wrote. */
class RelayToProcessingTest {
    private static final Domain DOMAIN = Domain.builder().aggregate(Shipment.class).aggregate(Bulb.class).build();
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aDurableProcessingHandlesWhatTheRelayPublishedFromTheStore() throws Exception {
        String servers = SharedKafka.get().bootstrapServers();
        String topic = Topics.unique("relayed");
        Topics.create(servers, 3, topic);
        Tracker tracker = new Tracker();
        try (EventStore store = EventStores.open("rocksdb", EngineSettings.of(dir));
             KafkaRelay relay = KafkaRelay.builder(store).bootstrapServers(servers).topic(topic).start();
             KafkaTransport transport = KafkaTransport.builder().bootstrapServers(servers).topic(topic).build();
             Processing processing = Processing.builder(DOMAIN).schedule(Schedule.DURABLE).transport(transport)
                     .deliverThrough((event, next) -> next.accept(event.withMeta("via", "delivery")))
                     .on(Shipment.class, tracker).start()) {
            Sourcing sourcing = Sourcing.on(store, DOMAIN).build();
            for (int seq = 1; seq <= 5; seq++) {
                for (int a = 0; a < 4; a++) sourcing.events().dispatchTo("s-" + a, new Shipment.Scanned(seq, "x"), at(T0.plusSeconds(seq)));
                sourcing.events().dispatchTo("b-" + seq, new Bulb.SwitchedOn(40), at(T0));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tracker.distinctIds() < 20 && processing.isRunning() && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(processing.failure()).isEmpty();
        }
        for (int a = 0; a < 4; a++)
            assertThat(tracker.handled("s-" + a)).as("s-" + a).isEqualTo(IntStream.rangeClosed(1, 5).boxed().toList());
        assertThat(tracker.problems()).isEmpty();
    }

    @Test
    void whatTheTransportPublishesIsInTheRelaysFormat() {
        String servers = SharedKafka.get().bootstrapServers();
        String topic = Topics.unique("published");
        try (KafkaTransport transport = KafkaTransport.builder().bootstrapServers(servers).topic(topic).build();
             Processing processing = Processing.builder(DOMAIN).schedule(Schedule.DURABLE).transport(transport)
                     .on(Shipment.class, e -> {}).start()) {
            processing.dispatchTo("s-1", new Shipment.Scanned(1, "Lewisham"), at(T0).id("scan-1").meta("depot", "lewisham"));
        }
        List<ConsumerRecord<byte[], byte[]>> records = Topics.readCount(servers, topic, 1, Duration.ofSeconds(60));
        assertThat(records).hasSize(1);
        ConsumerRecord<byte[], byte[]> r = records.get(0);
        assertThat(Topics.key(r)).isEqualTo("shipment/s-1");
        assertThat(Topics.id(r)).isEqualTo("scan-1");
        assertThat(Topics.header(r, "ce_type")).isEqualTo("shipment.scanned");
        assertThat(Topics.header(r, "ce_aggregatetype")).isEqualTo("shipment");
        assertThat(Topics.header(r, "ce_subject")).isEqualTo("s-1");
        assertThat(Topics.header(r, "ce_time")).isEqualTo("2026-11-30T10:00:00.000000Z");
        assertThat(Topics.header(r, "ce_depot")).isEqualTo("lewisham");
        assertThat(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"seq\":1,\"where\":\"Lewisham\"}");
    }
}
