package io.annals.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Test helpers on a real broker: make topics, read a topic from its beginning. */
final class Topics {
    private Topics() {}

    /** A topic name no other test uses. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void create(String servers, int partitions, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            List<NewTopic> news = new ArrayList<>();
            for (String t : topics) news.add(new NewTopic(t, partitions, (short) 1));
            admin.createTopics(news).all().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Every record of {@code topic} from its beginning, read until {@code done} holds for what was read or
     * {@code timeout} passes (then what was read so far).
     */
    static List<ConsumerRecord<byte[], byte[]>> readUntil(String servers, String topic, Duration timeout,
                                                          Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos != null) infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(out) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) out.add(r);
            }
        }
        return out;
    }

    static List<ConsumerRecord<byte[], byte[]>> readCount(String servers, String topic, int count, Duration timeout) {
        return readUntil(servers, topic, timeout, rs -> rs.size() >= count);
    }

    /** Reads until every id of {@code ids} was seen as a {@code ce_id}. */
    static List<ConsumerRecord<byte[], byte[]>> readIds(String servers, String topic, Set<String> ids, Duration timeout) {
        Set<String> missing = new java.util.HashSet<>(ids);
        int[] seen = {0};
        return readUntil(servers, topic, timeout, rs -> {
            for (; seen[0] < rs.size(); seen[0]++) missing.remove(id(rs.get(seen[0])));
            return missing.isEmpty();
        });
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String id(ConsumerRecord<byte[], byte[]> r) {
        return header(r, "ce_id");
    }

    static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }
}
