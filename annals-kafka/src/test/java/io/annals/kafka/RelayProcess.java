package io.annals.kafka;

import io.annals.core.api.EventStore;
import io.annals.core.api.NewEvent;
import io.annals.kafka.api.KafkaRelay;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An annals process for {@link RelayCrashTest}: a store (RocksDB, or Cassandra) with a relay to Kafka, run in a JVM of its own.
 * {@code load} also appends from 4 threads (batches of 10, one aggregate per thread and batch number) and prints
 * {@code ack <id>} for every event once its append is acknowledged; {@code relay} only relays. It prints
 * {@code ready} when its relay runs and exits when its standard input closes (its parent died).
 * Arguments: data directory, bootstrap servers, topic, load|relay, run name, store spec ({@link TestStores}).
 */
public final class RelayProcess {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String servers = args[1];
        String topic = args[2];
        boolean load = args[3].equals("load");
        String run = args[4];
        PrintStream out = new PrintStream(System.out, false, "UTF-8");
        EventStore store = TestStores.open(args.length > 5 ? args[5] : "rocksdb", data);
        KafkaRelay relay = KafkaRelay.builder(store).name("crash").bootstrapServers(servers).topic(topic)
                .checkpointInterval(java.time.Duration.ofMillis(50)).start();
        synchronized (out) {
            out.println("ready");
            out.flush();
        }
        if (load) {
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Thread writer = new Thread(() -> write(store, out, run + "-" + thread), "writer-" + t);
                writer.setDaemon(true);
                writer.start();
            }
        }
        while (System.in.read() >= 0) {
            // wait for the parent to go away
        }
        relay.close();
        store.close();
    }

    private static void write(EventStore store, PrintStream out, String prefix) {
        for (int batch = 0; ; batch++) {
            List<NewEvent> events = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                events.add(NewEvent.ofType("parcel.scanned").id(prefix + "-" + batch + "-" + i).source("crash-test")
                        .aggregate("parcel", prefix + "-" + (batch % 5)).payload("{\"batch\":" + batch + "}").build());
            }
            store.append(events);
            synchronized (out) {
                for (NewEvent e : events) out.println("ack " + e.id());
                out.flush();
            }
        }
    }
}
