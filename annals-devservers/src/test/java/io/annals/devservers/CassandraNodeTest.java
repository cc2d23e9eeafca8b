package io.annals.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.annals.devservers.internal.Net;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node of its own: it is killed, restarted and stopped. */
class CassandraNodeTest {

    @Test
    void killedNodeRestartsOnTheSamePortsWithItsDataAndStopsOnClose() {
        CassandraNode node = CassandraNode.builder().build();
        try (node) {
            node.start();
            InetSocketAddress address = node.contactPoint();
            int storagePort = node.storagePort();
            long firstPid = node.pid();
            try (CqlSession session = SharedCassandraTest.connect(node)) {
                session.execute("CREATE KEYSPACE faults WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
                session.execute("CREATE TABLE faults.notes (id int PRIMARY KEY, text text)");
                session.execute("INSERT INTO faults.notes (id, text) VALUES (1, 'written before the crash')");
            }

            node.kill();
            assertThat(node.isRunning()).isFalse();
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            assertThat(Net.cqlAnswers(address)).isFalse();

            node.restart();
            assertThat(node.contactPoint()).isEqualTo(address);
            assertThat(node.storagePort()).isEqualTo(storagePort);
            assertThat(node.pid()).isNotEqualTo(firstPid);
            try (CqlSession session = SharedCassandraTest.connect(node)) {
                // Replayed from the commit log: the kill gave Cassandra no chance to flush.
                List<Row> rows = session.execute("SELECT text FROM faults.notes WHERE id = 1").all();
                assertThat(rows).extracting(row -> row.getString(0)).containsExactly("written before the crash");
            }
            assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("running already");
        }
        assertThat(node.isRunning()).isFalse();
        assertThat(Net.cqlAnswers(node.contactPoint())).isFalse();
        assertThat(node.workDir()).doesNotExist();
    }

    @Test
    void builderRejectsMisuseAtOnce() {
        assertThatThrownBy(() -> CassandraNode.builder().heap("256", "lots")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1g");
        assertThatThrownBy(() -> CassandraNode.builder().nativePort(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CassandraNode.builder().nativePort(9500).storagePort(9500).build())
                .isInstanceOf(IllegalArgumentException.class);
        CassandraNode notStarted = CassandraNode.builder().build();
        assertThatThrownBy(notStarted::contactPoint).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start()");
        assertThat(Files.exists(notStarted.workDir())).isFalse();
    }
}
