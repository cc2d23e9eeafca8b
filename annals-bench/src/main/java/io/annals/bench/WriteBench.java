package io.annals.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the write cases against one or more targets. Cases come first and targets second, so that the scenarios a
 * ratio compares (raw-32 and api-32, say) run one right after the other: the disk's fsync rate drifts from minute
 * to minute.
 */
final class WriteBench {
    /** Opens a fresh target in an empty directory. */
    @FunctionalInterface
    interface Opener {
        WriteTarget open(Path emptyDir) throws Exception;
    }

    private WriteBench() {}

    /** {@code targets}: name prefix (raw, api, http) to opener, in the order to run them. */
    static List<Result> run(BenchOptions o, Map<String, Opener> targets, Map<String, String> descriptions) throws Exception {
        List<Result> results = new ArrayList<>();
        for (BenchOptions.Case c : o.cases) {
            for (Map.Entry<String, Opener> t : targets.entrySet()) {
                String prefix = t.getKey();
                String name = name(prefix, c, o);
                String what = descriptions.get(prefix) + ", " + describe(c, o);
                System.err.printf("running %s: %s (%d s warm-up, %d s measured)%n", name, what, o.warmupSeconds,
                        o.durationSeconds);
                Path dir = Files.createTempDirectory(Files.createDirectories(o.baseDir()), "annals-bench-" + prefix + "-");
                try (WriteTarget target = t.getValue().open(dir)) {
                    Result r = switch (c) {
                        case one -> Runner.run(name, what, 1, o.warmup(), o.duration(), target::single);
                        case many -> Runner.run(name, what, o.writers, o.warmup(), o.duration(), target::single);
                        case batch -> Runner.run(name, what, o.batchWriters, o.warmup(), o.duration(),
                                w -> target.batch(w, o.batchSize));
                        case manybatch -> Runner.run(name, what, o.writers, o.warmup(), o.duration(),
                                w -> target.batch(w, o.batchSize));
                    };
                    results.add(r);
                    System.err.println(Report.line(r));
                } finally {
                    deleteRecursively(dir);
                }
            }
        }
        return results;
    }

    static String name(String prefix, BenchOptions.Case c, BenchOptions o) {
        return switch (c) {
            case one -> prefix + "-1";
            case many -> prefix + "-" + o.writers;
            case batch -> prefix + "-batch";
            case manybatch -> prefix + "-batch-" + o.writers;
        };
    }

    private static String describe(BenchOptions.Case c, BenchOptions o) {
        return switch (c) {
            case one -> "1 writer, single events";
            case many -> o.writers + " writers, single events";
            case batch -> o.batchWriters + " writer" + (o.batchWriters == 1 ? "" : "s") + ", batches of " + o.batchSize;
            case manybatch -> o.writers + " writers, batches of " + o.batchSize;
        };
    }

    static Map<String, Opener> ordered() {
        return new LinkedHashMap<>();
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
