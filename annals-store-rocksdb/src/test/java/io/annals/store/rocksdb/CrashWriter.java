package io.annals.store.rocksdb;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.Appended;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.spi.EngineSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The child JVM of {@link CrashTest}: appends from several threads until it is killed, printing one line per
 * acknowledged event ({@code ack <id> <position> <aggregate id> <stream version> .}), flushed at once.
 */
public final class CrashWriter {
    static final String TYPE = "crash.appended";
    static final int AGGREGATES = 16;

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        String sync = args.length > 2 ? args[2] : "always";
        EventStore store = EventStores.open("rocksdb", new EngineSettings(dir, Map.of("index.bucket", "PT1S", "sync", sync),
                Clock.systemUTC()));
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            Thread thread = new Thread(() -> appendForever(store, worker, out));
            thread.start();
            workers.add(thread);
        }
        for (Thread t : workers) t.join();
    }

    static String tagOf(String aggregateId) {
        return "tag-" + (aggregateId.hashCode() & 3);
    }

    private static void appendForever(EventStore store, int worker, PrintStream out) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long n = 0; ; n++) {
            String aggregate = "a" + random.nextInt(AGGREGATES);
            int size = n % 4 == 0 ? 5 : 1;
            List<NewEvent> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                NewEvent.Builder b = NewEvent.ofType(TYPE).aggregate(AggregateId.of("crash", aggregate))
                        .tag(tagOf(aggregate))
                        .time(Instant.now().minusMillis(random.nextInt(5000))) // late events, across buckets
                        .payload("{\"worker\":" + worker + ",\"n\":" + n + "}");
                if (random.nextBoolean()) b.id("w" + worker + "-" + n + "-" + i); // else the store assigns one
                batch.add(b.build());
            }
            List<Appended> acked = store.append(AppendRequest.of(batch)).events();
            StringBuilder lines = new StringBuilder();
            for (Appended a : acked)
                lines.append("ack ").append(a.id()).append(' ').append(a.position().value()).append(' ')
                        .append(aggregate).append(' ').append(a.streamVersion()).append(" .\n");
            synchronized (out) {
                out.print(lines);
                out.flush();
            }
        }
    }
}
