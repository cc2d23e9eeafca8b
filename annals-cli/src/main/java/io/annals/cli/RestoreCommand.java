package io.annals.cli;

import com.typesafe.config.Config;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.StoreStats;
import io.annals.core.spi.EngineSettings;
import io.annals.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code annals restore DIR}: makes a checkpoint written by {@code annals backup} the data directory of a stopped
 * server. The checkpoint is copied beside the data directory first and moved into place only when complete; a
 * non-empty data directory is replaced only with {@code --force}, and never while a server holds it open.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Copy a checkpoint (from 'annals backup') into the data directory of a stopped server.",
                "Refuses a non-empty data directory unless --force, and one that a running server holds."})
final class RestoreCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The checkpoint directory.")
    Path checkpoint;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The data directory to restore into (default: annals.store.data-dir, ./data).")
    Path data;

    @Option(names = "--config", paramLabel = "FILE", description = "The server's configuration file, for its data directory.")
    Path config;

    @Option(names = "--force", description = "Replace a non-empty data directory (its current content is deleted).")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Map<String, String> overrides = new HashMap<>();
        if (data != null) overrides.put("annals.store.data-dir", data.toString());
        Config conf = ServerConfig.load(config, overrides);
        String engine = conf.getString("annals.store.engine");
        if (engine.equals("memory")) throw new CliException("the memory engine keeps nothing on disk: nothing to restore");
        Path target = Path.of(conf.getString("annals.store.data-dir")).toAbsolutePath().normalize();
        Path source = checkpoint.toAbsolutePath().normalize();

        if (!Files.isDirectory(source)) throw new CliException("no checkpoint directory at " + source);
        if (isEmpty(source)) throw new CliException("the checkpoint directory " + source + " is empty");
        if (target.startsWith(source) || source.startsWith(target))
            throw new CliException("the checkpoint and the data directory must not contain each other");
        boolean replacing = Files.exists(target) && !isEmpty(target);
        if (replacing && !force)
            throw new CliException("the data directory " + target + " is not empty; stop the server and add --force"
                    + " to replace its content with the checkpoint");
        if (replacing) refuseIfInUse(engine, target);

        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".restoring-");
        try {
            copyTree(source, staging);
            if (Files.exists(target)) deleteTree(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (Files.exists(staging)) deleteTree(staging);
            throw e;
        }
        spec.commandLine().getOut().println("restored " + source + " into " + target + describe(engine, target));
        spec.commandLine().getOut().flush();
        return AnnalsCommand.OK;
    }

    /** Opens the store briefly: a running server's lock makes the engine refuse, which is what we want to know. */
    private static void refuseIfInUse(String engine, Path target) {
        try (EventStore store = EventStores.open(engine, EngineSettings.of(target))) {
            store.streamVersion(io.annals.core.api.AggregateId.of("annals", "probe"));
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("lock"))
                    throw new CliException("the data directory " + target + " is in use (is a server running on it?);"
                            + " stop the server first", e);
            }
            // a store that cannot be opened for another reason (damaged, not a store at all) may be replaced
        }
    }

    /** Opens the restored store to show that it works and roughly how many events it holds. */
    private static String describe(String engine, Path target) {
        try (EventStore store = EventStores.open(engine, EngineSettings.of(target))) {
            StoreStats stats = store.stats();
            return stats.approximateEvents() >= 0 ? " (about " + stats.approximateEvents() + " events)" : "";
        } catch (RuntimeException e) {
            throw new CliException("the checkpoint was copied into " + target + " but the " + engine
                    + " engine cannot open it: " + AnnalsCommand.describe(e), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return !Files.exists(dir);
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            s.forEach(p -> {
                Path dest = to.resolve(from.relativize(p).toString());
                try {
                    if (Files.isDirectory(p)) Files.createDirectories(dest);
                    else Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }
}
