package io.annals.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.devservers.SharedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault test, on RocksDB and on Cassandra: an annals process (store + relay, {@link RelayProcess}) is killed with SIGKILL while it appends and
 * publishes; a new process on the same data publishes the rest. Every event whose append was acknowledged must be
 * in the topic (repeats allowed, found by {@code ce_id}), and each aggregate's events in append order.
 */
class RelayCrashTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rocksdb", "cassandra"})
    void everyAcknowledgedEventIsPublishedAfterSigkill(String engine) throws Exception {
        String spec = TestStores.spec(engine, "relay_crash");
        String servers = SharedKafka.get().bootstrapServers();
        String topic = Topics.unique("crash");
        Topics.create(servers, 3, topic);
        Path data = dir.resolve("data");

        List<String> acked = new ArrayList<>();
        Process first = start(data, servers, topic, "load", "run1", spec);
        CountDownLatch enough = new CountDownLatch(1);
        Thread reader = new Thread(() -> readAcks(first, acked, enough, 10_000));
        reader.start();
        try {
            assertThat(enough.await(120, TimeUnit.SECONDS)).as("the process acknowledged appends; its stderr: %s",
                    read(dir.resolve("load.err"))).isTrue();
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no close, mid-append and mid-send
            first.waitFor(60, TimeUnit.SECONDS);
            reader.join(60_000);
        }
        List<String> acknowledged;
        synchronized (acked) {
            acknowledged = List.copyOf(acked);
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(10_000);

        Process second = start(data, servers, topic, "relay", "run2", spec);
        try {
            List<ConsumerRecord<byte[], byte[]>> records =
                    Topics.readIds(servers, topic, new HashSet<>(acknowledged), Duration.ofSeconds(120));
            Set<String> published = new HashSet<>();
            Map<String, List<String>> firstSeenByKey = new LinkedHashMap<>();
            records.stream().sorted(java.util.Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
                            .thenComparingLong(ConsumerRecord::offset))
                    .forEach(r -> {
                        if (published.add(Topics.id(r)))
                            firstSeenByKey.computeIfAbsent(Topics.key(r), k -> new ArrayList<>()).add(Topics.id(r));
                    });
            assertThat(published).as("published ids (%d records)", records.size()).containsAll(acknowledged);

            Set<String> ackedSet = new HashSet<>(acknowledged);
            Map<String, List<String>> ackedByKey = new LinkedHashMap<>();
            for (String id : acknowledged) ackedByKey.computeIfAbsent(keyOf(id), k -> new ArrayList<>()).add(id);
            firstSeenByKey.replaceAll((k, ids) -> ids.stream().filter(ackedSet::contains).toList());
            firstSeenByKey.values().removeIf(List::isEmpty);
            assertThat(firstSeenByKey).as("each aggregate's events, first time seen, in append order").isEqualTo(ackedByKey);
            System.out.printf("acknowledged %d, records %d, distinct %d%n", acknowledged.size(), records.size(), published.size());
        } finally {
            second.getOutputStream().close();
            if (!second.waitFor(30, TimeUnit.SECONDS)) second.destroyForcibly();
        }
    }

    /** The record key of an id written by {@link RelayProcess}: {@code parcel/<run>-<thread>-<batch % 5>}. */
    private static String keyOf(String id) {
        String[] p = id.split("-");
        return "parcel/" + p[0] + "-" + p[1] + "-" + (Integer.parseInt(p[2]) % 5);
    }

    private Process start(Path data, String servers, String topic, String mode, String run, String spec) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                RelayProcess.class.getName(), data.toString(), servers, topic, mode, run, spec)
                .redirectError(dir.resolve(mode + ".err").toFile())
                .start();
    }

    private static void readAcks(Process p, List<String> acked, CountDownLatch enough, int count) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("ack ")) continue;
                synchronized (acked) {
                    acked.add(line.substring(4));
                    if (acked.size() >= count) enough.countDown();
                }
            }
        } catch (IOException e) {
            // the process was killed
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
