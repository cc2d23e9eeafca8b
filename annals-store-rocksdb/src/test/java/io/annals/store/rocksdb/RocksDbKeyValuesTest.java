package io.annals.store.rocksdb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.KeyValues;
import io.annals.core.api.KeyValues.Batch;
import io.annals.core.api.KeyValues.Entry;
import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.StorageEngine;
import io.annals.testkit.KeyValuesContract;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import org.rocksdb.RocksIterator;

/** The key-values contract on RocksDB (a temporary directory per test, a restart is a new engine on it), and its layout. */
class RocksDbKeyValuesTest extends KeyValuesContract {
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
    class Layout {
        @TempDir
        Path data;
        private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

        private EventStore open() {
            return EventStores.open("rocksdb", new EngineSettings(data, Map.of("sync", "always"), clock));
        }

        @Test
        void aSpaceAndItsKeysNeverRunTogether() {
            try (EventStore store = open()) {
                KeyValues kv = store.keyValues();
                kv.write(new Batch().put("a", "bk", b("a|bk")).put("ab", "k", b("ab|k")).put("a", "b", b("a|b")));
                assertThat(kv.scan("a", "", 10)).containsExactly(new Entry("b", b("a|b")), new Entry("bk", b("a|bk")));
                assertThat(kv.scan("ab", "", 10)).containsExactly(new Entry("k", b("ab|k")));
                assertThat(kv.get("a", "bk")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("a|bk")));
                assertThat(kv.get("a", "k")).isEmpty();
                assertThat(kv.get("ab", "bk")).isEmpty();
            }
        }

        @Test
        void expiredEntriesAreDeletedWhenAReadMeetsThem() throws RocksDBException {
            try (EventStore store = open()) {
                KeyValues kv = store.keyValues();
                kv.write(new Batch().put("s", "a", b("1"), Duration.ofSeconds(10)).put("s", "b", b("2"))
                        .put("s", "c", b("3"), Duration.ofSeconds(10)).put("t", "d", b("4"), Duration.ofSeconds(10)));
                clock.advance(Duration.ofSeconds(10));
                assertThat(kv.scan("s", "", 10)).extracting(Entry::key).containsExactly("b");
                assertThat(kv.get("t", "d")).isEmpty();
            }
            assertThat(rawKeys(data)).containsExactly("s/b");
        }

        @Test
        void theSweepDeletesExpiredEntriesNoReadMeetsAChunkAtATime() throws RocksDBException {
            int expiring = StoredKeyValues.SWEEP_ENTRIES + 2_000;
            Batch batch = new Batch().put("a", "forever", b("1")).put("m", "forever", b("2")).put("z", "forever", b("3"));
            for (int i = 0; i < expiring; i++) batch.put("s" + (i % 7), "k" + i, b("v"), Duration.ofSeconds(10));
            Map<String, String> options = Map.of("sync", "none", "ttl.sweep-interval", "0s");
            RocksDbEngine engine = RocksDbEngine.open(new EngineSettings(data, options, clock));
            try (EventStore store = EventStores.open(engine, clock)) {
                store.keyValues().write(batch);
                clock.advance(Duration.ofSeconds(10));
                engine.sweepExpired();
            }
            int left = rawKeys(data).size();
            assertThat(left).as("one sweep reads one chunk").isGreaterThan(3).isLessThan(expiring + 3);
            RocksDbEngine again = RocksDbEngine.open(new EngineSettings(data, options, clock));
            try (EventStore store = EventStores.open(again, clock)) {
                again.sweepExpired();
            }
            assertThat(rawKeys(data)).containsExactly("a/forever", "m/forever", "z/forever");
        }

        @Test
        void aStoreMadeBeforeKeyValuesOpensAndKeepsThem() throws RocksDBException {
            try (EventStore store = open()) {
                store.checkpoints().put("relay", io.annals.core.api.Position.of("1"));
            }
            dropKvColumnFamily(data);
            try (EventStore store = open()) {
                assertThat(store.keyValues().scan("s", "", 10)).isEmpty();
                store.keyValues().put("s", "k", b("v"));
            }
            try (EventStore store = open()) {
                assertThat(store.keyValues().get("s", "k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("v")));
                assertThat(store.checkpoints().get("relay")).isPresent();
            }
        }
    }

    private static byte[] b(String text) {
        return text.getBytes(UTF_8);
    }

    /** The entries of column family {@code kv}, as {@code space/key}, read with RocksDB itself. */
    private static List<String> rawKeys(Path dir) throws RocksDBException {
        List<String> keys = new ArrayList<>();
        withColumnFamilies(dir, (db, handles) -> {
            for (ColumnFamilyHandle h : handles) {
                if (!new String(h.getName(), UTF_8).equals("kv")) continue;
                try (RocksIterator it = db.newIterator(h)) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        byte[] k = it.key();
                        int length = ((k[0] & 0xFF) << 8) | (k[1] & 0xFF);
                        keys.add(new String(k, 2, length, UTF_8) + "/" + new String(k, 2 + length, k.length - 2 - length, UTF_8));
                    }
                }
            }
        });
        return keys;
    }

    private static void dropKvColumnFamily(Path dir) throws RocksDBException {
        withColumnFamilies(dir, (db, handles) -> {
            for (ColumnFamilyHandle h : handles) {
                if (new String(h.getName(), UTF_8).equals("kv")) db.dropColumnFamily(h);
            }
        });
    }

    private interface DbAction {
        void run(RocksDB db, List<ColumnFamilyHandle> handles) throws RocksDBException;
    }

    private static void withColumnFamilies(Path dir, DbAction action) throws RocksDBException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (Options options = new Options()) {
            for (byte[] cf : RocksDB.listColumnFamilies(options, dir.toString())) descriptors.add(new ColumnFamilyDescriptor(cf));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions(); RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
            try {
                action.run(db, handles);
            } finally {
                for (ColumnFamilyHandle h : handles) h.close();
            }
        }
    }
}
