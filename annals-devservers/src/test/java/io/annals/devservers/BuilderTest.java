package io.annals.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builders' checks and defaults, without starting anything. */
class BuilderTest {

    @Test
    void wrongSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> KafkaNode.builder().brokerPort(9092).controllerPort(9092).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("brokerPort and controllerPort must differ, both were 9092");
        assertThatThrownBy(() -> CassandraNode.builder().nativePort(9042).storagePort(9042).build())
                .hasMessage("nativePort and storagePort must differ, both were 9042");
        assertThatThrownBy(() -> KafkaNode.builder().heap("lots", "1g"))
                .hasMessage("heap min must look like 128m or 1g, was lots");
        assertThatThrownBy(() -> CassandraNode.builder().heap("256m", null))
                .hasMessage("heap max must look like 256m or 1g, was null");
        assertThatThrownBy(() -> KafkaNode.builder().brokerPort(0)).hasMessage("a port must be 1-65535, was 0");
        assertThatThrownBy(() -> CassandraNode.builder().stopTimeout(Duration.ZERO))
                .hasMessage("stopTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> CassandraNode.builder().setting("cluster_name", null))
                .hasMessage("yamlValue must not be null");
    }

    @Test
    void aBuiltNodeKeepsItsSettingsWhenTheBuilderChangesLater() {
        Path first = Path.of("target", "builder-test-first");
        KafkaNode.Builder builder = KafkaNode.builder().workDir(first).brokerPort(40001);
        KafkaNode node = builder.build();
        builder.workDir(Path.of("target", "builder-test-second")).brokerPort(40002);

        assertThat(node.workDir()).isEqualTo(first.toAbsolutePath().normalize());
        assertThat(node.brokerPort()).isEqualTo(40001);
        assertThat(node.controllerPort()).isZero();
        assertThat(node.isRunning()).isFalse();
        assertThat(node.logFile()).isEqualTo(node.workDir().resolve("logs").resolve("kafka.log"));
        assertThatThrownBy(node::pid).isInstanceOf(IllegalStateException.class)
                .hasMessage("the broker has not been started: call start() first");
        assertThat(node).hasToString("KafkaNode[" + node.workDir() + ", not running]");
    }

    @Test
    void withoutAWorkDirectoryANodeGetsAFreshOneUnderTarget() {
        CassandraNode one = CassandraNode.builder().build();
        CassandraNode two = CassandraNode.builder().build();

        assertThat(one.workDir().getFileName().toString()).startsWith("cassandra-" + ProcessHandle.current().pid() + "-");
        assertThat(one.workDir().getParent().getFileName()).hasToString("target");
        assertThat(two.workDir()).isNotEqualTo(one.workDir());
        assertThat(one.logFile()).isEqualTo(one.workDir().resolve("logs").resolve("cassandra.log"));
        assertThatThrownBy(one::contactPoint).hasMessage("the node has not been started: call start() first");
    }
}
