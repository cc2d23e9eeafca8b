package io.annals.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.annals.core.spi.StorageEngineProvider;
import io.annals.server.AnnalsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backup from a serving RocksDB store, restore into a stopped server's data directory, serve it again. */
class BackupRestoreTest {
    @TempDir Path dir;

    @BeforeEach
    void needsRocksDb() {
        assumeTrue(ServiceLoader.load(StorageEngineProvider.class).stream().anyMatch(p -> p.get().name().equals("rocksdb")),
                "the rocksdb engine is not on the class path");
    }

    @Test
    void backupWhileServingThenRestoreIntoANewDataDirectory() {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup");
        try (AnnalsServer server = TestServers.rocksdb(data)) {
            String url = server.uri().toString();
            for (int i = 0; i < 5; i++)
                assertThat(Cli.at(url, "post", "--type", "t", "--id", "b-" + i, "--aggregate", "parcel/p").exitCode()).isZero();
            Cli.Result b = Cli.at(url, "backup", backup.toString());
            assertThat(b.exitCode()).as(b.err()).isZero();
            assertThat(b.out()).contains("checkpoint written to");
            // written after the checkpoint: not in the backup
            assertThat(Cli.at(url, "post", "--type", "t", "--id", "after").exitCode()).isZero();

            Cli.Result again = Cli.at(url, "backup", backup.toString());
            assertThat(again.exitCode()).as("a backup never overwrites").isEqualTo(1);
            assertThat(again.err()).startsWith("error: ");

            Cli.Result busy = Cli.run("restore", backup.toString(), "--data", data.toString(), "--force");
            assertThat(busy.exitCode()).as("a running server's directory is never replaced").isEqualTo(1);
            assertThat(busy.err()).contains("in use");
            assertThat(Cli.at(url, "get", "after").exitCode()).isZero();
        }

        Path restored = dir.resolve("restored");
        Cli.Result r = Cli.run("restore", backup.toString(), "--data", restored.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("restored").contains(restored.toString());

        try (AnnalsServer server = TestServers.rocksdb(restored)) {
            String url = server.uri().toString();
            assertThat(Cli.at(url, "query", "--aggregate", "parcel/p").lines()).hasSize(5);
            assertThat(Cli.at(url, "get", "after").exitCode()).isEqualTo(1);
        }
    }

    @Test
    void restoreRefusesANonEmptyDataDirectoryWithoutForce() throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup");
        try (AnnalsServer server = TestServers.rocksdb(data)) {
            assertThat(Cli.at(server.uri().toString(), "post", "--type", "t", "--id", "old").exitCode()).isZero();
            assertThat(Cli.at(server.uri().toString(), "backup", backup.toString()).exitCode()).isZero();
            assertThat(Cli.at(server.uri().toString(), "post", "--type", "t", "--id", "newer").exitCode()).isZero();
        }
        Cli.Result refused = Cli.run("restore", backup.toString(), "--data", data.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("not empty").contains("--force");
        assertThat(data.resolve("CURRENT")).exists();

        Cli.Result forced = Cli.run("restore", backup.toString(), "--data", data.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        try (AnnalsServer server = TestServers.rocksdb(data)) {
            assertThat(Cli.at(server.uri().toString(), "get", "old").exitCode()).isZero();
            assertThat(Cli.at(server.uri().toString(), "get", "newer").exitCode()).isEqualTo(1);
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("data", "backup");
        }
    }

    @Test
    void restoreOfAMissingCheckpointFails() {
        Cli.Result r = Cli.run("restore", dir.resolve("nothing").toString(), "--data", dir.resolve("d").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no checkpoint directory");
    }
}
