package io.annals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.client.AnnalsClient;
import io.annals.core.api.NewEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class UsageAndServeTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "frobnicate",
            "get",
            "get --bogus x",
            "query --order sideways",
            "query --limit 0",
            "query --page-size 5000",
            "query --start yesterday",
            "query --aggregate parcel",
            "post --aggregate parcel/p1",
            "post --type t {\"type\":\"t\"}",
            "post --type t --aggregate nope",
            "post --type t --expected-version soon",
            "import",
            "import f --batch-size 0",
            "export out --format auto",
            "serve --port notanumber",
            "--url ftp://x get id"})
    void usageErrorsExitTwo(String args) {
        Cli.Result r = Cli.run(args.isEmpty() ? new String[0] : args.split(" "));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).isNotBlank();
    }

    @Test
    void helpAndVersionExitZero() {
        Cli.Result help = Cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("serve", "post", "get", "query", "import", "export", "backup", "restore");
        assertThat(Cli.run("import", "--help").out()).contains("--batch-size");
        assertThat(Cli.run("--version").exitCode()).isZero();
    }

    @Test
    void serveRunsAServerUntilStopped() throws Exception {
        AnnalsCommand root = new AnnalsCommand();
        CommandLine cl = AnnalsCommand.commandLine(root);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        ServeCommand serve = cl.getSubcommands().get("serve").getCommand();
        // its own thread, not the common pool: serve blocks until stopped, and on 2 cores the common pool has one
        // worker, which the server's async answers need (on JDK 25 this test hung)
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread serving = new Thread(() -> exit.complete(
                cl.execute("serve", "--port", "0", "--data", dir.resolve("data").toString(), "--store", "memory")), "serve");
        serving.setDaemon(true);
        serving.start();
        try {
            assertThat(serve.started.await(30, TimeUnit.SECONDS)).as(out.toString()).isTrue();
            assertThat(out.toString()).contains("annals is serving http://localhost:");
            try (AnnalsClient client = AnnalsClient.builder().baseUri(serve.server.uri()).build()) {
                assertThat(client.health().isUp()).isTrue();
                client.append(NewEvent.ofType("t").id("served").build());
                assertThat(client.get("served")).isPresent();
            }
        } finally {
            serve.stop.countDown();
        }
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void devCassandraStatusSaysNothingRunsInAnEmptyDirectory() {
        Cli.Result r = Cli.run("dev", "cassandra", "--dir", dir.resolve("dev-cassandra").toString(), "status");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).contains("no Cassandra runs in");
        assertThat(Cli.run("dev", "cassandra", "--dir", dir.resolve("dev-cassandra").toString(), "stop").out())
                .contains("no Cassandra was running");
        assertThat(Cli.run("dev").exitCode()).isEqualTo(2);
    }

    @Test
    void devKafkaStatusSaysNothingRunsInAnEmptyDirectory() {
        Cli.Result r = Cli.run("dev", "kafka", "--dir", dir.resolve("dev-kafka").toString(), "status");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).contains("no Kafka runs in");
        assertThat(Cli.run("dev", "kafka", "--dir", dir.resolve("dev-kafka").toString(), "stop").out())
                .contains("no Kafka was running");
        assertThat(Cli.run("dev", "kafka", "start", "--port", "70000").exitCode()).isNotZero();
    }

    @Test
    void serveWithABadConfigurationFailsClearly() {
        Cli.Result r = Cli.run("serve", "--config", dir.resolve("missing.conf").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains("does not exist");
    }
}
