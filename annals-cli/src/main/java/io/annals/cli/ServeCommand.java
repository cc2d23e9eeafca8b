package io.annals.cli;

import com.typesafe.config.Config;
import io.annals.server.AnnalsServer;
import io.annals.server.ServerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code annals serve}: runs the server in this process until it is interrupted (Ctrl-C, SIGTERM), then closes it
 * cleanly: requests in flight finish and the store is closed.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the annals server (HTTP API on the embedded store) until interrupted.",
                "Settings: --config FILE (HOCON), then these options; see docs/configuration.md."})
final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "The HTTP port (default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "The address to listen on (default 127.0.0.1).")
    String host;

    @Option(names = "--data", paramLabel = "DIR", description = "The store's data directory (default ./data).")
    Path data;

    @Option(names = "--config", paramLabel = "FILE", description = "A configuration file (HOCON, JSON or properties).")
    Path config;

    @Option(names = "--store", paramLabel = "ENGINE", description = "The storage engine: rocksdb (default), cassandra (options under annals.store.cassandra, see docs/storage-cassandra.md) or memory.")
    String store;

    /** Counted down when the server is up; tests wait on it. */
    final CountDownLatch started = new CountDownLatch(1);
    /** Counted down to stop the server; the shutdown hook and tests use it. */
    final CountDownLatch stop = new CountDownLatch(1);
    volatile AnnalsServer server;

    @Override
    public Integer call() throws InterruptedException {
        Config conf = ServerConfig.load(config, overrides());
        AnnalsServer running = AnnalsServer.start(conf);
        server = running;
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                // bounded, so that a close that hangs cannot keep the JVM from exiting
                closed.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "annals-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("annals is serving " + running.uri() + " (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        started.countDown();
        try {
            stop.await();
        } finally {
            try {
                running.close();
            } finally {
                closed.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down: the hook is running and waits for 'closed'
                }
            }
        }
        return AnnalsCommand.OK;
    }

    private Map<String, String> overrides() {
        Map<String, String> o = new HashMap<>();
        if (port != null) o.put("annals.http.port", Integer.toString(port));
        if (host != null) o.put("annals.http.host", host);
        if (data != null) o.put("annals.store.data-dir", data.toString());
        if (store != null) o.put("annals.store.engine", store);
        return o;
    }
}
