package io.annals.devservers;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SharedCassandraTest {

    static CqlSession connect(CassandraNode node) {
        return CqlSession.builder()
                .addContactPoint(node.contactPoint())
                .withLocalDatacenter(node.localDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(10))
                        .build())
                .build();
    }

    @Test
    void sharedNodeAnswersCqlWithItsVersion() {
        CassandraNode node = SharedCassandra.get();
        try (CqlSession session = connect(node)) {
            String version = session.execute("SELECT release_version FROM system.local").one().getString(0);
            assertThat(version).isEqualTo("5.0.9");
        }
        assertThat(SharedCassandra.get()).isSameAs(node);
        assertThat(node.workDir().getFileName().toString()).isEqualTo("cassandra-shared-" + ProcessHandle.current().pid());
        assertThat(node.localDatacenter()).isEqualTo("datacenter1");
    }
}
