package io.annals.devservers;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.devservers.internal.WorkDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine of {@code annals dev kafka}: a detached broker found again by its directory, restarted on its ports. */
class DevKafkaTest {

    @Test
    void startFindsTheRunningBrokerStatusDescribesItAndStopEndsIt() throws Exception {
        Path dir = Path.of("target", "dev-kafka-" + ProcessHandle.current().pid()).toAbsolutePath();
        DevKafka.Running running = null;
        try {
            running = DevKafka.start(dir, 0);
            assertThat(running.answers()).isTrue();
            assertThat(DevKafka.start(dir).pid()).as("start again finds the running broker").isEqualTo(running.pid());
            assertThat(DevKafka.status(dir)).contains(running);
            assertThat(Files.readString(dir.resolve("kafka.pid")).trim()).isEqualTo(Long.toString(running.pid()));
            assertThat(DevKafka.describe(running)).contains("Kafka 4.4.0 running", running.bootstrapServers());

            assertThat(DevKafka.stop(dir)).isTrue();
            assertThat(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            assertThat(DevKafka.status(dir)).isEmpty();
            assertThat(DevKafka.stop(dir)).isFalse();

            DevKafka.Running again = DevKafka.start(dir, 0);
            assertThat(again.bootstrapServers()).as("a restart keeps the ports").isEqualTo(running.bootstrapServers());
            assertThat(again.controllerPort()).isEqualTo(running.controllerPort());
            running = again;
            assertThat(DevKafka.stop(dir)).isTrue();
        } finally {
            if (running != null) {
                ProcessHandle.of(running.pid()).ifPresent(handle -> {
                    handle.destroyForcibly();
                    handle.onExit().join();
                });
            }
            WorkDirs.deleteRecursively(dir);
        }
    }
}
