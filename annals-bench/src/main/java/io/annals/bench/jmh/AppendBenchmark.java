package io.annals.bench.jmh;

import io.annals.core.api.AppendResult;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.spi.EngineSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread appending one event at a time through the Java API ({@code EventStore.append}, which waits for the
 * acknowledgement): {@code memory} measures the facade and validation alone, {@code rocksdb-none} adds the engine
 * without WAL sync, {@code rocksdb-always} adds the fsync (then the disk dominates).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AppendBenchmark {
    @Param({"memory", "rocksdb-none", "rocksdb-always"})
    public String store;

    private Path dir;
    private EventStore events;
    private final NewEvent event = NewEvent.ofType("parcel.delivered").source("depot-scanner:7")
            .aggregate("parcel", "69016fb5").tag("london")
            .payload("{\"deliveryAddress\":\"123 Sudbury Avenue\",\"weightGrams\":1250,\"note\":\"leave with neighbour\"}")
            .build();

    /** A fresh store per iteration, so the in-memory one does not grow for the whole run. */
    @Setup(Level.Iteration)
    public void open() throws IOException {
        if (store.equals("memory")) {
            events = EventStores.open("memory", new EngineSettings(null, Map.of(), Clock.systemUTC()));
        } else {
            dir = Files.createTempDirectory("annals-jmh-");
            String sync = store.substring("rocksdb-".length());
            events = EventStores.open("rocksdb", new EngineSettings(dir, Map.of("sync", sync), Clock.systemUTC()));
        }
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        events.close();
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public AppendResult append() {
        return events.append(event);
    }
}
