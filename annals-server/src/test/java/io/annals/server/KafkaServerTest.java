package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.devservers.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** annals.kafka in the server: the relay starts with the store when configured; bad settings stop the start. */
class KafkaServerTest {
    @TempDir
    Path dir;

    @Test
    void anEventPostedToTheServerIsPublishedToKafka() {
        String servers = SharedKafka.get().bootstrapServers();
        String topic = "server-" + UUID.randomUUID().toString().substring(0, 8);
        try (AnnalsServer server = AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", "0",
                "annals.store.data-dir", dir.resolve("data").toString(),
                "annals.kafka.bootstrap-servers", servers, "annals.kafka.relay.enabled", "true",
                "annals.kafka.relay.topic", topic + ".{type}", "annals.kafka.producer.linger.ms", "0")))) {
            Http http = new Http(server.uri());
            assertThat(http.postJson("/api/events", """
                    {"id":"k-1","type":"parcel.scanned","source":"depot","aggregate":{"type":"parcel","id":"p1"},
                     "payload":{"n":1}}""").status()).isEqualTo(201);

            List<ConsumerRecord<byte[], byte[]>> records = read(servers, topic + ".parcel.scanned", 1);
            assertThat(records).hasSize(1);
            ConsumerRecord<byte[], byte[]> r = records.get(0);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("parcel/p1");
            assertThat(new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8)).isEqualTo("k-1");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            assertThat(http.get("/metrics").body()).contains("annals_relay_published_total{relay=\"default\"}");
        }
    }

    @Test
    void kafkaSettingsAreChecked() {
        assertThatThrownBy(() -> ServerConfig.defaults(Map.of("annals.kafka.relay.enabled", "true")))
                .hasMessageContaining("annals.kafka.bootstrap-servers");
        assertThatThrownBy(() -> ServerConfig.defaults(Map.of("annals.kafka.relay.topik", "x")))
                .hasMessageContaining("unknown configuration key annals.kafka.relay.topik");
        assertThatThrownBy(() -> AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", "0",
                "annals.store.data-dir", dir.resolve("bad").toString(), "annals.kafka.bootstrap-servers", "127.0.0.1:1",
                "annals.kafka.relay.enabled", "true", "annals.kafka.producer.acks", "1"))))
                .hasMessageContaining("acks=all");
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String servers, String topic, int count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            while (out.size() < count && System.nanoTime() < deadline) consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }
}
