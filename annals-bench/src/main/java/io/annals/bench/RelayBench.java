package io.annals.bench;

import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.spi.EngineSettings;
import io.annals.devservers.KafkaNode;
import io.annals.kafka.api.KafkaRelay;
import io.annals.kafka.internal.CloudEventsKafka;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The relay target of issue 4: {@link KafkaRelay} draining a pre-filled log of {@code --events} events into a topic,
 * against a raw {@link KafkaProducer} sending the same records (the relay's own CloudEvents records of the same
 * events, made before the clock starts) with the same producer settings, in the same run, to a topic of the same
 * shape on the same broker. Each is timed from its start until Kafka acknowledged the last record; each topic must
 * then hold every event (the relay's may hold repeats). The broker is a {@link KafkaNode} of its own unless
 * {@code --bootstrap-servers} names one.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Kafka relay draining a pre-filled log against a raw producer sending the same records (issue 4).")
final class RelayBench implements Callable<Integer> {
    @Mixin
    BenchOptions options;

    @Option(names = "--events", defaultValue = "1000000", description = "Events in the drained log (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--data", description = "Keep the store here and reuse it: preload only what it lacks.")
    Path data;

    @Option(names = "--bootstrap-servers", description = "A running broker to use instead of starting one.")
    String bootstrapServers;

    @Option(names = "--kafka-dir", defaultValue = "/var/tmp/annals-bench-kafka",
            description = "Work directory of the broker this run starts, deleted after it (default ${DEFAULT-VALUE}).")
    Path kafkaDir;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of each topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--producer-property", description = "Producer setting key=value for both (repeatable), e.g. linger.ms=10.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(names = "--rounds", defaultValue = "2", description = "Rounds of raw then relay (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup-records", defaultValue = "200000",
            description = "Records the raw producer sends to a warm-up topic first, untimed (default ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--settle", defaultValue = "10",
            description = "Seconds to wait after a preload, for RocksDB's flushes and compactions (default ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Override
    public Integer call() throws Exception {
        Path dir = data != null ? Files.createDirectories(data)
                : Files.createTempDirectory(Files.createDirectories(options.baseDir()), "annals-bench-relay-");
        List<Result> results = new ArrayList<>();
        KafkaNode node = null;
        try (EventStore store = EventStores.open(options.engine, new EngineSettings(dir, options.storeOptions, Clock.systemUTC()))) {
            long before = store.stats().approximateEvents();
            long held = Preload.fill(store, events, options.bodyBytes);
            if (held != before && settleSeconds > 0) Thread.sleep(settleSeconds * 1000L);
            if (bootstrapServers == null) {
                System.err.println("starting a Kafka broker in " + kafkaDir);
                node = KafkaNode.builder().workDir(kafkaDir).deleteWorkDirOnClose(true).heap("512m", "1g").build().start();
            }
            String servers = bootstrapServers != null ? bootstrapServers : node.bootstrapServers();
            String run = Long.toString(System.currentTimeMillis(), 36);
            List<ProducerRecord<byte[], byte[]>> records = records(store, "bench.raw");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                if (warmup > 0) {
                    // the broker's and this JVM's JIT, untimed, so that the first raw round does not pay for them
                    String warmTopic = "bench.warmup." + run;
                    create(admin, warmTopic);
                    raw("warm-up", servers, warmTopic, records.subList(0, (int) Math.min(warmup, records.size())), admin);
                }
                for (int round = 1; round <= rounds; round++) {
                    String suffix = rounds == 1 ? "" : "-" + round;
                    String rawTopic = "bench.raw." + run + "." + round;
                    String relayTopic = "bench.relay." + run + "." + round;
                    create(admin, rawTopic);
                    create(admin, relayTopic);
                    results.add(logged(raw("raw-producer" + suffix, servers, rawTopic, records, admin)));
                    results.add(logged(relay("relay" + suffix, store, servers, relayTopic, run + "-" + round, records.size(), admin)));
                }
            }
        } finally {
            if (node != null) node.close();
            if (data == null) WriteBench.deleteRecursively(dir);
        }
        Report.print(System.out, results, options);
        List<Report.Check> checks = checks(results);
        System.out.println();
        System.out.println("Targets of issue 4:");
        for (Report.Check c : checks) System.out.println("  " + c);
        if (options.json != null) Report.writeJson(options.json, "relay", results, options, checks);
        return results.stream().anyMatch(r -> r.events() == 0 || r.errors() > 0) ? 1 : 0;
    }

    /** The relay's record of every event of the log, in log order, for {@code topic} (rewritten per round). */
    private static List<ProducerRecord<byte[], byte[]>> records(EventStore store, String topic) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Position end = store.readLog(Position.end(), 1).next();
        for (Position after = Position.start(); !after.equals(end); ) {
            LogPage page = store.readLog(after, 1000);
            for (Event e : page.events()) records.add(CloudEventsKafka.record(topic, e));
            after = page.next();
        }
        return records;
    }

    /**
     * The relay's producer settings (KafkaRelay.Builder: linger.ms 5, no compression, idempotence, acks=all) with
     * the same overrides; keep them in step with the relay's.
     */
    private Properties producerSettings(String servers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "annals-bench-raw");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.putAll(producerProperties);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private Result raw(String name, String servers, String topic, List<ProducerRecord<byte[], byte[]>> records, Admin admin)
            throws Exception {
        System.err.printf("running %s: %,d records to %s%n", name, records.size(), topic);
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> first = new AtomicReference<>();
        // timed from the producer's creation, as the relay's time includes making its producer
        long begin = System.nanoTime();
        long cpu = Runner.processCpuNanos();
        double seconds;
        long cpuNanos;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(servers))) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers()), (m, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        first.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            seconds = (System.nanoTime() - begin) / 1e9;
            cpuNanos = cpu < 0 ? -1 : Runner.processCpuNanos() - cpu;
            logBatches(name, "annals-bench-raw");
        }
        if (first.get() != null) System.err.printf("%s: %d sends failed; the first: %s%n", name, failed.get(), first.get());
        long errors = failed.get() + missing(admin, topic, records.size());
        return new Result(name, "raw KafkaProducer, the relay's records and settings, " + partitions + " partitions", 1,
                records.size(), records.size(), errors, seconds, new Histogram(1000, 1), cpuNanos);
    }

    private Result relay(String name, EventStore store, String servers, String topic, String relayName, long expected, Admin admin)
            throws Exception {
        System.err.printf("running %s: the relay drains %,d events to %s%n", name, expected, topic);
        Position end = store.readLog(Position.end(), 1).next();
        long begin = System.nanoTime();
        long cpu = Runner.processCpuNanos();
        try (KafkaRelay relay = KafkaRelay.builder(store).name("bench-" + relayName).bootstrapServers(servers).topic(topic)
                .producerProperties(producerProperties).start()) {
            long deadline = begin + TimeUnit.MINUTES.toNanos(30);
            while (!end.equals(relay.acknowledged())) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the relay did not drain the log in 30 minutes;"
                        + " it acknowledged up to " + relay.acknowledged() + " of " + end);
                Thread.sleep(2);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            long cpuNanos = cpu < 0 ? -1 : Runner.processCpuNanos() - cpu;
            logBatches(name, "annals-relay-bench-" + relayName);
            return new Result(name, "KafkaRelay from the start of the log until Kafka acknowledged its end, " + partitions
                    + " partitions", 1, expected, expected, missing(admin, topic, expected), seconds, new Histogram(1000, 1), cpuNanos);
        }
    }

    /**
     * Creates {@code topic} and waits until the broker serves each partition. A produce request that reaches a
     * partition before then fails with NOT_LEADER_OR_FOLLOWER while a later one of the same idempotent producer
     * succeeds; the first then fails with OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout (KAFKA-15591).
     * Listing the partitions' end offsets succeeds only once the broker has them.
     */
    private void create(Admin admin, String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(1, TimeUnit.MINUTES);
        missing(admin, topic, 0);
    }

    /** How many fewer records than {@code expected} the topic holds (0 when it holds them all, or more). */
    private static long missing(Admin admin, String topic, long expected) throws Exception {
        Map<TopicPartition, OffsetSpec> ends = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream().collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        long held = 0;
        for (var e : admin.listOffsets(ends).all().get().values()) held += e.offset();
        if (held < expected) System.err.printf("%s holds %,d records, not %,d%n", topic, held, expected);
        return Math.max(0, expected - held);
    }

    /**
     * Prints how full the producer's batches and requests were (its JMX metrics): fewer, fuller batches cost the
     * producer's I/O thread and the broker less per record, so both sides of the comparison should batch alike.
     */
    private static void logBatches(String name, String clientId) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName metrics = new ObjectName("kafka.producer:type=producer-metrics,client-id=" + clientId);
            System.err.printf("  %s producer: batch-size-avg %.0f bytes, records-per-request-avg %.1f, request-latency-avg %.1f ms%n",
                    name, (Double) server.getAttribute(metrics, "batch-size-avg"),
                    (Double) server.getAttribute(metrics, "records-per-request-avg"),
                    (Double) server.getAttribute(metrics, "request-latency-avg"));
        } catch (Exception e) {
            System.err.printf("  %s producer: no metrics (%s)%n", name, e);
        }
    }

    private static Result logged(Result r) {
        System.err.println(Report.line(r));
        return r;
    }

    /** Each relay round against the raw producer of the same round: at least 0.7x. */
    static List<Report.Check> checks(List<Result> results) {
        Map<String, Result> byName = results.stream().collect(Collectors.toMap(Result::name, r -> r, (a, b) -> b));
        List<Report.Check> checks = new ArrayList<>();
        for (Result r : results) {
            if (!r.name().startsWith("relay")) continue;
            Result raw = byName.get(r.name().replace("relay", "raw-producer"));
            if (raw != null && raw.eventsPerSecond() > 0) {
                checks.add(new Report.Check(r.name() + " / " + raw.name(), r.eventsPerSecond() / raw.eventsPerSecond(), "x", 0.7, true));
            }
        }
        return checks;
    }
}
