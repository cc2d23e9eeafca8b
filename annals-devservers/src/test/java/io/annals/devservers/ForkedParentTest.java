package io.annals.devservers;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.annals.devservers.internal.WorkDirs;
import org.junit.jupiter.api.Test;

/**
 * A JVM that started nodes is SIGKILLed: its attached node must exit by itself (its stdin pipe closes), while a
 * dev node started for {@code annals dev cassandra start} keeps running until {@link DevCassandra#stop(Path)}.
 */
class ForkedParentTest {

    @Test
    void attachedNodeDiesWithItsKilledParentWhileDevNodeLivesOnUntilStopped() throws Exception {
        Path base = Files.createDirectories(Path.of("target", "forked-parent-" + ProcessHandle.current().pid()))
                .toAbsolutePath();
        Path devDir = base.resolve("dev");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process parent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ForkedParent.class.getName(), base.resolve("attached").toString(), devDir.toString())
                .redirectError(base.resolve("parent-stderr.log").toFile())
                .start();
        Map<String, Long> pids = new HashMap<>();
        try {
            pids.putAll(CompletableFuture.supplyAsync(() -> readPids(parent)).get(300, TimeUnit.SECONDS));
            assertThat(pids).containsKeys("ATTACHED_PID", "DEV_PID");

            parent.destroyForcibly().waitFor();

            ProcessHandle attached = ProcessHandle.of(pids.get("ATTACHED_PID")).orElse(null);
            if (attached != null) {
                // Generous bound: exit runs Cassandra's shutdown hooks; the point is that it exits at all.
                attached.onExit().get(120, TimeUnit.SECONDS);
            }

            DevCassandra.Running dev = DevCassandra.status(devDir).orElseThrow();
            assertThat(dev.pid()).isEqualTo(pids.get("DEV_PID"));
            assertThat(dev.answersCql()).isTrue();
            assertThat(DevCassandra.start(devDir).pid()).as("start again finds the running node").isEqualTo(dev.pid());
            assertThat(Files.readString(devDir.resolve("cassandra.pid")).trim()).isEqualTo(Long.toString(dev.pid()));
            try (CqlSession session = CqlSession.builder().addContactPoint(dev.contactPoint())
                    .withLocalDatacenter(dev.localDatacenter()).build()) {
                assertThat(session.execute("SELECT release_version FROM system.local").one().getString(0))
                        .isEqualTo("5.0.9");
            }

            assertThat(DevCassandra.stop(devDir)).isTrue();
            assertThat(ProcessHandle.of(dev.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
            assertThat(DevCassandra.status(devDir)).isEmpty();
            assertThat(DevCassandra.stop(devDir)).isFalse();
        } finally {
            parent.destroyForcibly();
            for (long pid : pids.values()) {
                ProcessHandle.of(pid).ifPresent(handle -> {
                    handle.destroyForcibly();
                    handle.onExit().join();
                });
            }
            parent.waitFor();
            WorkDirs.deleteRecursively(base);
        }
    }

    private static Map<String, Long> readPids(Process parent) {
        Map<String, Long> pids = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (pids.size() < 2 && (line = reader.readLine()) != null) {
                for (String key : List.of("ATTACHED_PID", "DEV_PID")) {
                    if (line.startsWith(key + "=")) {
                        pids.put(key, Long.parseLong(line.substring(key.length() + 1).trim()));
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return pids;
    }
}
