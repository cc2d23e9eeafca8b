package io.annals.cli;

import io.annals.devservers.DevCassandra;
import io.annals.devservers.DevKafka;
import io.annals.devservers.DevServerException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code annals dev}: local development servers. {@code annals dev cassandra start|stop|status} runs a real
 * single-node Apache Cassandra in the background (see annals-devservers/README.md), to try annals on Cassandra;
 * {@code annals dev kafka start|stop|status} the same for a single Apache Kafka broker.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Local development servers (a real Apache Cassandra node or Kafka broker, no Docker).",
        subcommands = {DevCommand.Cassandra.class, DevCommand.Kafka.class})
final class DevCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a server, for example 'annals dev cassandra start'");
    }

    @Command(name = "cassandra", mixinStandardHelpOptions = true,
            description = {"A single-node Apache Cassandra 5.0 in the background, on 127.0.0.1 (needs a Java 17).",
                    "Then: annals serve --store cassandra"})
    static final class Cassandra {
        @Spec CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "dev/cassandra",
                description = "Where the node keeps its data, log and pid (default ${DEFAULT-VALUE}).")
        Path dir;

        @Command(name = "start", mixinStandardHelpOptions = true,
                description = "Start the node (or find it running) and wait until CQL answers.")
        int start(@Option(names = "--port", paramLabel = "N", defaultValue = "9042",
                description = "The CQL port if free, else any free one (default ${DEFAULT-VALUE}).") int port) {
            try {
                DevCassandra.Running running = DevCassandra.start(dir, port);
                spec.commandLine().getOut().println(DevCassandra.describe(running));
                return AnnalsCommand.OK;
            } catch (DevServerException e) {
                throw new CliException(e.getMessage(), e);
            }
        }

        @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the node; its data stays.")
        int stop() {
            boolean wasRunning = DevCassandra.stop(dir);
            spec.commandLine().getOut().println(wasRunning ? "Cassandra stopped" : "no Cassandra was running in " + dir);
            return AnnalsCommand.OK;
        }

        @Command(name = "status", mixinStandardHelpOptions = true,
                description = "Say whether the node runs (exit 0) or not (exit 3).")
        int status() {
            Optional<DevCassandra.Running> running = DevCassandra.status(dir);
            spec.commandLine().getOut().println(running.map(DevCassandra::describe).orElse("no Cassandra runs in " + dir));
            return running.isPresent() ? AnnalsCommand.OK : 3;
        }
    }

    @Command(name = "kafka", mixinStandardHelpOptions = true,
            description = {"A single Apache Kafka broker (KRaft mode) in the background, on 127.0.0.1.",
                    "Clients connect with bootstrap.servers=127.0.0.1:9092 (or the port printed)."})
    static final class Kafka {
        @Spec CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "dev/kafka",
                description = "Where the broker keeps its data, log and pid (default ${DEFAULT-VALUE}).")
        Path dir;

        @Command(name = "start", mixinStandardHelpOptions = true,
                description = "Start the broker (or find it running) and wait until it serves requests.")
        int start(@Option(names = "--port", paramLabel = "N", defaultValue = "9092",
                description = "The broker port if free, else any free one (default ${DEFAULT-VALUE}).") int port) {
            try {
                spec.commandLine().getOut().println(DevKafka.describe(DevKafka.start(dir, port)));
                return AnnalsCommand.OK;
            } catch (DevServerException e) {
                throw new CliException(e.getMessage(), e);
            }
        }

        @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the broker; its data stays.")
        int stop() {
            boolean wasRunning = DevKafka.stop(dir);
            spec.commandLine().getOut().println(wasRunning ? "Kafka stopped" : "no Kafka was running in " + dir);
            return AnnalsCommand.OK;
        }

        @Command(name = "status", mixinStandardHelpOptions = true,
                description = "Say whether the broker runs (exit 0) or not (exit 3).")
        int status() {
            Optional<DevKafka.Running> running = DevKafka.status(dir);
            spec.commandLine().getOut().println(running.map(DevKafka::describe).orElse("no Kafka runs in " + dir));
            return running.isPresent() ? AnnalsCommand.OK : 3;
        }
    }
}
