package io.annals.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.StorageEngine;
import io.annals.testkit.CheckpointsContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** The checkpoints contract on RocksDB, and what the new column family means for stores made before it. */
class RocksDbCheckpointsTest extends CheckpointsContract {
    @TempDir
    Path dir;

    @Override
    protected StorageEngine openEngine(Clock clock) {
        return new RocksDbEngineProvider().open(new EngineSettings(dir, RocksDbContractTest.OPTIONS, clock));
    }

    @Override
    protected StorageEngine reopenEngine(Clock clock) {
        return openEngine(clock);
    }

    @Nested
    class Upgrades {
        @TempDir
        Path old;
        private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

        private EventStore open(Path where) {
            return EventStores.open("rocksdb", new EngineSettings(where, Map.of("sync", "none"), clock));
        }

        @Test
        void aStoreMadeWithoutTheCheckpointsColumnFamilyOpensAndKeepsThem() throws RocksDBException {
            try (EventStore store = open(old)) {
                store.append(NewEvent.ofType("t").id("e1").build(), NewEvent.ofType("t").id("e2").build());
            }
            dropColumnFamily(old, "checkpoints");
            assertThat(columnFamilies(old)).doesNotContain("checkpoints").contains("events", "log");

            try (EventStore store = open(old)) {
                assertThat(store.readLog(Position.start(), 10).events()).extracting(e -> e.id()).containsExactly("e1", "e2");
                assertThat(store.checkpoints().list("")).isEmpty();
                store.checkpoints().put("relay", Position.of("2"));
            }
            assertThat(columnFamilies(old)).contains("checkpoints");
            try (EventStore store = open(old)) {
                assertThat(store.checkpoints().get("relay")).contains(Position.of("2"));
                assertThat(store.append(NewEvent.ofType("t").id("e3").build()).events().get(0).position()).isEqualTo(Position.of("3"));
            }
        }

        @Test
        void aBackupHoldsTheCheckpoints(@TempDir Path backups) {
            Path target = backups.resolve("b");
            try (EventStore store = open(old)) {
                store.checkpoints().put("subscription/s/0", Position.of("7"));
                ((RocksDbEngine) ((io.annals.core.internal.DefaultEventStore) store).engine()).backupTo(target);
                store.checkpoints().put("subscription/s/0", Position.of("8"));
            }
            try (EventStore restored = open(target)) {
                assertThat(restored.checkpoints().list("subscription/")).containsExactly(Map.entry("subscription/s/0", Position.of("7")));
            }
        }
    }

    private static List<String> columnFamilies(Path dir) throws RocksDBException {
        try (Options options = new Options()) {
            return RocksDB.listColumnFamilies(options, dir.toString()).stream()
                    .map(name -> new String(name, StandardCharsets.UTF_8)).toList();
        }
    }

    /** Turns a store into one made before {@code name} existed, with RocksDB itself. */
    private static void dropColumnFamily(Path dir, String name) throws RocksDBException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String cf : columnFamilies(dir)) descriptors.add(new ColumnFamilyDescriptor(cf.getBytes(StandardCharsets.UTF_8)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions(); RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
            for (ColumnFamilyHandle h : handles) {
                if (new String(h.getName(), StandardCharsets.UTF_8).equals(name)) db.dropColumnFamily(h);
            }
            for (ColumnFamilyHandle h : handles) h.close();
        }
    }
}
