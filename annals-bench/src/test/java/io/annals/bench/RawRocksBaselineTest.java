package io.annals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawRocksBaselineTest {
    @TempDir
    Path dir;

    @Test
    void anEventWritesTheRowsTheEngineWrites() throws Exception {
        try (RawRocksBaseline raw = new RawRocksBaseline(dir, true, 300)) {
            assertThat(raw.singleEvents().call()).isEqualTo(1);
            Map<String, Long> rows = raw.countRows();
            assertThat(rows).containsEntry("events", 1L).containsEntry("log", 1L).containsEntry("aggregates", 1L)
                    .containsEntry("streams", 1L)
                    .containsEntry("index", 3L) // by type, by tag, all events
                    .containsEntry("buckets", 3L)
                    .containsEntry("default", 2L) // event count, last position
                    .containsEntry("expiry", 0L);
        }
    }

    @Test
    void aBatchWritesEveryEventWithUniqueKeys() throws Exception {
        try (RawRocksBaseline raw = new RawRocksBaseline(dir, false, 300)) {
            assertThat(raw.batches(100).call()).isEqualTo(100);
            assertThat(raw.batches(100).call()).isEqualTo(100);
            Map<String, Long> rows = raw.countRows();
            assertThat(rows).containsEntry("events", 200L).containsEntry("log", 200L).containsEntry("aggregates", 200L);
            assertThat(rows.get("index")).isEqualTo(600L);
            assertThat(rows.get("buckets")).isBetween(2L, 1L + EventFactory.TYPES + EventFactory.TAGS);
        }
    }

    @Test
    void theStoredEventIsAboutAsLargeAsAnnalsStoresIt() throws Exception {
        try (RawRocksBaseline raw = new RawRocksBaseline(dir, false, 300)) {
            // the engine's binary form of the posted 300 bytes, with id, processedAt, position and streamVersion
            assertThat(raw.storedBytes()).isBetween(200, 400);
        }
    }
}
