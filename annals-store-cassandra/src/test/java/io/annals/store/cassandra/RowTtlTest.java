package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A key-value row outlives its {@code expires} in Cassandra, which counts a TTL from a write time truncated to the second. */
class RowTtlTest {
    @Test
    void theRowTtlIsASecondLongerThanTheExpiry() {
        assertThat(CassandraKeyValues.rowTtl(null)).isZero();
        assertThat(CassandraKeyValues.ttlSeconds(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(CassandraKeyValues.rowTtl(Duration.ofSeconds(1))).isEqualTo(2);
        assertThat(CassandraKeyValues.rowTtl(Duration.ofMillis(1500))).isEqualTo(3);
        assertThat(CassandraKeyValues.expiresAt(0, Duration.ofMillis(1500))).isEqualTo(2_000_000L);
        assertThat(CassandraKeyValues.rowTtl(Duration.ofDays(365L * 20))).isEqualTo(Rows.MAX_TTL_SECONDS);
    }
}
