package io.annals.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by every mode of the {@link LoadGenerator}. */
final class BenchOptions {
    /** The write cases: one writer, many writers, batches from one writer, batches from many writers. */
    enum Case { one, many, batch, manybatch }

    @Option(names = "--duration", defaultValue = "20", description = "Measured seconds per scenario (default ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds per scenario, not measured (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = {"--writers", "--connections"}, defaultValue = "32",
            description = "Concurrent writers (HTTP connections) in the 'many' case (default ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--batch-size", defaultValue = "100", description = "Events per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batch-writers", defaultValue = "1",
            description = "Concurrent writers in the 'batch' case (default ${DEFAULT-VALUE}, as in the baselines).")
    int batchWriters;

    @Option(names = "--cases", split = ",", defaultValue = "many,batch,manybatch,one",
            description = "Write cases to run, in this order: one (1 writer, single events), many (--writers, single events),"
                    + " batch (--batch-writers, batches), manybatch (--writers, batches) (default ${DEFAULT-VALUE}).")
    List<Case> cases;

    @Option(names = "--body-bytes", defaultValue = "300", description = "Size of one event as posted (default ${DEFAULT-VALUE}).")
    int bodyBytes;

    @Option(names = "--no-sync", negatable = false,
            description = "Raw baseline without WAL sync (compare with a store opened with --store-option for no sync).")
    boolean noSync;

    @Option(names = "--engine", defaultValue = "rocksdb", description = "Storage engine for api, --embedded and query (default ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--store-option", description = "Engine option key=value (repeatable), as in annals.store.<engine>.*")
    Map<String, String> storeOptions = new LinkedHashMap<>();

    @Option(names = "--dir", description = "Where fresh stores are made (default: the temp directory); each is deleted after its scenario.")
    Path dir;

    @Option(names = "--client", defaultValue = "raw",
            description = "HTTP client: raw (a lean socket client, one connection per worker) or jdk (java.net.http, HTTP/1.1) (default ${DEFAULT-VALUE}).")
    HttpTarget.Client client;

    @Option(names = "--json", description = "Also write the results as JSON to this file.")
    Path json;

    /** The machine's load average when the run began (not an option), to tell a quiet run from a disturbed one. */
    String loadBefore = Report.loadAverage();

    Duration duration() {
        return Duration.ofSeconds(durationSeconds);
    }

    Duration warmup() {
        return Duration.ofSeconds(warmupSeconds);
    }

    Path baseDir() {
        return dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
