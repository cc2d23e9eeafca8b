package io.annals.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A port that is taken fails the start at once with Cassandra's own explanation, not after a time-out. */
class PortTakenTest {

    @Test
    void aTakenFixedPortFailsTheStartWithTheLogTail() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CassandraNode node = CassandraNode.builder().storagePort(taken.getLocalPort()).build()) {
            assertThatThrownBy(node::start).isInstanceOf(DevServerException.class)
                    .hasMessageContaining("exited with code")
                    .hasMessageContaining(taken.getLocalPort() + " is in use by another process");
            assertThat(node.isRunning()).isFalse();
        }
    }
}
