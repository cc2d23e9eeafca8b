package io.annals.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Serves a fresh store in a temp directory until stopped (Ctrl-C), so that the load generator ({@code --url}) or
 * another tool (wrk) can drive a server in a separate process. The store is deleted on exit. Do not rebuild the jar
 * while it runs: the JVM loads classes from it lazily.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve a fresh temporary store for --url runs.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--engine", defaultValue = "rocksdb", description = "Storage engine (default ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--store-option", description = "Engine option key=value (repeatable).")
    Map<String, String> storeOptions = new LinkedHashMap<>();

    @Option(names = "--dir", description = "Where the temporary store is made (default: the temp directory).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path base = dir != null ? Files.createDirectories(dir) : Path.of(System.getProperty("java.io.tmpdir"));
        Path data = Files.createTempDirectory(base, "annals-bench-serve-");
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(engine, data, storeOptions, port);
        } catch (RuntimeException e) {
            WriteBench.deleteRecursively(data);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            WriteBench.deleteRecursively(data);
            stopped.countDown();
        }));
        System.err.println("serving " + server.url() + " with a fresh " + engine + " store in " + data + "; Ctrl-C stops");
        stopped.await();
        return 0;
    }
}
