package io.annals.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.devservers.internal.Net;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/** A broker of its own: it is killed, restarted and stopped. */
class KafkaNodeTest {

    @Test
    void killedBrokerRestartsOnTheSamePortsWithItsRecordsAndTheProducerReconnects() {
        KafkaNode node = KafkaNode.builder()
                // After a kill the controller refuses the broker's new registration until the old session times
                // out (9 s by default): shorter here to keep the test quick.
                .property("broker.session.timeout.ms", "3000")
                .property("broker.heartbeat.interval.ms", "500")
                .build();
        try (node) {
            node.start();
            InetSocketAddress address = node.address();
            String bootstrap = node.bootstrapServers();
            int controllerPort = node.controllerPort();
            long firstPid = node.pid();
            assertThat(bootstrap).isEqualTo("127.0.0.1:" + node.brokerPort());
            assertThat(Net.kafkaAnswers(address)).isTrue();
            try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap)) {
                KafkaClients.send(producer, "faults", "parcel/1", "written before the crash");

                node.kill();
                assertThat(node.isRunning()).isFalse();
                assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
                assertThat(Net.kafkaAnswers(address)).isFalse();

                node.restart();
                assertThat(node.address()).isEqualTo(address);
                assertThat(node.controllerPort()).isEqualTo(controllerPort);
                assertThat(node.pid()).isNotEqualTo(firstPid);
                // The same producer, so the same bootstrap address: it reconnects by itself.
                KafkaClients.send(producer, "faults", "parcel/1", "written after the restart");
            }
            assertThat(KafkaClients.read(bootstrap, "faults", "faults-reader", 2))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("written before the crash", "written after the restart");
            assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("running already");
        }
        assertThat(node.isRunning()).isFalse();
        assertThat(Net.kafkaAnswers(node.address())).isFalse();
        assertThat(node.workDir()).doesNotExist();
    }

    @Test
    void aTakenFixedPortFailsTheStartAtOnceWithoutLaunchingKafka() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             KafkaNode node = KafkaNode.builder().brokerPort(taken.getLocalPort()).build()) {
            assertThatThrownBy(node::start).isInstanceOf(DevServerException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort() + " of Kafka")
                    .hasMessageContaining("is taken by another process");
            assertThat(node.isRunning()).isFalse();
        }
    }

    @Test
    void builderRejectsMisuseAtOnce() {
        assertThatThrownBy(() -> KafkaNode.builder().heap("128", "lots")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1g");
        assertThatThrownBy(() -> KafkaNode.builder().brokerPort(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KafkaNode.builder().brokerPort(9500).controllerPort(9500).build())
                .isInstanceOf(IllegalArgumentException.class);
        KafkaNode notStarted = KafkaNode.builder().build();
        assertThatThrownBy(notStarted::bootstrapServers).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start()");
        assertThat(Files.exists(notStarted.workDir())).isFalse();
    }
}
