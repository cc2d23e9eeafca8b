package io.annals.bench;

import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.spi.EngineSettings;
import io.annals.kafka.api.KafkaRelay;
import io.annals.kafka.internal.CloudEventsKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The relay drain benchmark of issue 4: a RocksDB log pre-filled with N events of ~300 bytes is drained into Kafka
 * by {@link KafkaRelay}, and compared with a raw producer sending the same records (built up front, so only
 * sending is timed) with the same producer settings (idempotent, acks=all, linger.ms=5), in the same run, alternately.
 * <pre>
 * java -cp annals-bench/target/annals-bench.jar io.annals.bench.RelayBench BOOTSTRAP [EVENTS=1000000] [ROUNDS=2] [PARTITIONS=3]
 * </pre>
 * A broker for it: {@code ./annals dev kafka start}. Prints one line per run and the ratio relay/raw.
 */
public final class RelayBench {
    private RelayBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: RelayBench BOOTSTRAP [EVENTS] [ROUNDS] [PARTITIONS]");
            System.exit(2);
        }
        String servers = args[0];
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path dir = Files.createTempDirectory("annals-relay-bench");
        String run = Long.toString(System.currentTimeMillis(), 36);
        try (EventStore store = EventStores.open("rocksdb", EngineSettings.of(dir))) {
            long t0 = System.nanoTime();
            EventFactory factory = new EventFactory(42, 300);
            for (int done = 0; done < events; done += 1000) store.append(factory.batch(Math.min(1000, events - done)));
            System.out.printf("filled %,d events in %.1f s%n", events, (System.nanoTime() - t0) / 1e9);
            Position last = lastPosition(store);
            List<Event> log = readAll(store);
            double rawBest = 0;
            double relayBest = 0;
            for (int round = 1; round <= rounds; round++) {
                String rawTopic = "bench-raw-" + run + "-" + round;
                String relayTopic = "bench-relay-" + run + "-" + round;
                createTopics(servers, partitions, rawTopic, relayTopic);
                double raw = raw(servers, rawTopic, log);
                double relay = relay(store, servers, relayTopic, "bench-" + run + "-" + round, last, events);
                System.out.printf("round %d: raw producer %,.0f records/s, relay %,.0f events/s, ratio %.2f%n",
                        round, raw, relay, relay / raw);
                rawBest = Math.max(rawBest, raw);
                relayBest = Math.max(relayBest, relay);
            }
            System.out.printf("best: raw %,.0f records/s, relay %,.0f events/s, ratio %.2f%n", rawBest, relayBest,
                    relayBest / rawBest);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static double raw(String servers, String topic, List<Event> log) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(log.size());
        for (Event e : log) records.add(CloudEventsKafka.record(topic, e));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.partitionsFor(topic); // metadata before the clock starts, as the relay's first page waits for it too
            long t0 = System.nanoTime();
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r, (m, e) -> {
                    if (e != null) failure.compareAndSet(null, e);
                    else acked.incrementAndGet();
                });
            }
            producer.flush();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (failure.get() != null) throw failure.get();
            return acked.get() / seconds;
        }
    }

    private static double relay(EventStore store, String servers, String topic, String name, Position last, int events)
            throws InterruptedException {
        long t0 = System.nanoTime();
        try (KafkaRelay relay = KafkaRelay.builder(store).name(name).bootstrapServers(servers).topic(topic).start()) {
            while (!last.equals(relay.acknowledged())) Thread.sleep(1);
            return events / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static Position lastPosition(EventStore store) {
        return store.readLog(Position.end(), 1).next();
    }

    private static List<Event> readAll(EventStore store) {
        List<Event> all = new ArrayList<>();
        for (LogPage page = store.readLog(Position.start(), 1000); !page.events().isEmpty();
             page = store.readLog(page.next(), 1000)) {
            all.addAll(page.events());
        }
        return all;
    }

    private static void createTopics(String servers, int partitions, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            List<NewTopic> news = new ArrayList<>();
            for (String t : topics) news.add(new NewTopic(t, partitions, (short) 1));
            admin.createTopics(news).all().get();
        }
    }
}
