package io.annals.bench;

import io.annals.core.api.NewEvent;
import io.annals.core.internal.Uuid7;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The raw RocksDB baseline: the rows annals-store-rocksdb writes for an append, in the same column families with the
 * same options, put through one {@link WriteBatch} per append with the same sync policy, and nothing else: no
 * validation, no encoding in the timed path (the stored values, in the engine's own form, are made up front), no dedupe lookups, no stream
 * version reads. Thread-safe: concurrent synced writers share fsyncs through RocksDB's own group commit.
 *
 * <p>Keep {@link #putEvent} and {@link #putGroup} in step with the engine's {@code Rows} and writer.
 */
final class RawRocksBaseline implements AutoCloseable {
    private static final int VALUE_POOL = 1024;
    private static final long BUCKET_MICROS = 3_600_000_000L;
    private static final byte BY_TYPE = 1;
    private static final byte BY_TAG = 2;
    private static final byte BY_TIME = 3;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] META_COUNT = "events.count".getBytes(StandardCharsets.UTF_8);
    private static final byte[] META_LAST_POSITION = "log.last-position".getBytes(StandardCharsets.UTF_8);
    /** Column families in the engine's order; the ones read by point look-ups get a Bloom filter there too. */
    private static final List<String> FAMILIES =
            List.of("default", "events", "log", "aggregates", "streams", "index", "buckets", "expiry");
    private static final Set<String> POINT_LOOKUPS = Set.of("events", "streams", "buckets");

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle events;
    private final ColumnFamilyHandle log;
    private final ColumnFamilyHandle history;
    private final ColumnFamilyHandle streams;
    private final ColumnFamilyHandle index;
    private final ColumnFamilyHandle buckets;
    private final WriteOptions writeOptions;
    private final AtomicLong sequence = new AtomicLong();
    private final List<NewEvent> shapes = new ArrayList<>(VALUE_POOL);
    private final List<byte[]> values = new ArrayList<>(VALUE_POOL);

    static {
        RocksDB.loadLibrary();
    }

    RawRocksBaseline(Path dir, boolean sync, int bodyBytes) throws RocksDBException {
        // The engine's defaults: 256 MiB block cache, LZ4 (ZSTD at the bottom), 64 MiB memtable for events.
        LRUCache cache = own(new LRUCache(256L << 20));
        BloomFilter bloom = own(new BloomFilter(10));
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String name : FAMILIES) {
            BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache)
                    .setCacheIndexAndFilterBlocks(true).setPinL0FilterAndIndexBlocksInCache(true).setFormatVersion(5);
            if (POINT_LOOKUPS.contains(name)) table.setFilterPolicy(bloom);
            ColumnFamilyOptions options = own(new ColumnFamilyOptions().setTableFormatConfig(table)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
                    .setLevelCompactionDynamicLevelBytes(true));
            if (name.equals("events")) options.setWriteBufferSize(64L << 20);
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), options));
        }
        DBOptions options = own(new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2).setBytesPerSync(1 << 20).setKeepLogFileNum(5));
        writeOptions = own(new WriteOptions().setSync(sync));
        db = RocksDB.open(options, dir.toString(), descriptors, handles);
        meta = handles.get(0);
        events = handles.get(1);
        log = handles.get(2);
        history = handles.get(3);
        streams = handles.get(4);
        index = handles.get(5);
        buckets = handles.get(6);
        // Stored values are made before the clock starts: the baseline measures RocksDB, not the encoding.
        EventFactory factory = new EventFactory(42, bodyBytes);
        for (int i = 0; i < VALUE_POOL; i++) {
            NewEvent e = factory.next(null);
            shapes.add(e);
            values.add(EventFactory.storedBytes(e, Uuid7.next(System.currentTimeMillis()), i + 1, 1));
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Size of one stored event. */
    int storedBytes() {
        return values.get(0).length;
    }

    /** One synced write of one event per call. */
    Runner.Operation singleEvents() {
        return batches(1);
    }

    /** One synced write of {@code n} events per call. */
    Runner.Operation batches(int n) {
        return () -> {
            try (WriteBatch batch = new WriteBatch()) {
                Set<String> indexKeys = new LinkedHashSet<>();
                long last = 0;
                for (int i = 0; i < n; i++) last = putEvent(batch, indexKeys);
                putGroup(batch, indexKeys, last);
                db.write(writeOptions, batch);
            }
            return n;
        };
    }

    /**
     * The rows of one event: the event by id; its log entry (position -> id); its aggregate history row (stream,
     * event time, id); its index rows by type, by tag and in the index of all events (kind, key, hour bucket, event
     * time, id); and its aggregate's stream head (-> stream version).
     */
    private long putEvent(WriteBatch batch, Set<String> indexKeys) throws RocksDBException {
        long seq = sequence.incrementAndGet();
        int slot = (int) (seq % VALUE_POOL);
        NewEvent shape = shapes.get(slot);
        long nowMillis = System.currentTimeMillis();
        long micros = nowMillis * 1000;
        long bucket = micros / BUCKET_MICROS;
        String idText = Uuid7.next(nowMillis);
        byte[] id = idText.getBytes(StandardCharsets.UTF_8);
        batch.put(events, id, values.get(slot));
        batch.put(log, plain(seq), id);
        byte[] stream = concat(escaped(shape.aggregate().type()), escaped(shape.aggregate().id()));
        batch.put(history, concat(stream, ordered(micros), id), EMPTY);
        batch.put(streams, stream, plain(seq));
        putIndex(batch, BY_TYPE, shape.type(), bucket, micros, id, indexKeys);
        for (String tag : shape.tags()) putIndex(batch, BY_TAG, tag, bucket, micros, id, indexKeys);
        putIndex(batch, BY_TIME, "", bucket, micros, id, indexKeys);
        return seq;
    }

    private void putIndex(WriteBatch batch, byte kind, String key, long bucket, long micros, byte[] id,
            Set<String> indexKeys) throws RocksDBException {
        byte[] prefix = concat(new byte[] {kind}, escaped(key));
        batch.put(index, concat(prefix, ordered(bucket), ordered(micros), id), EMPTY);
        indexKeys.add(kind + ":" + key);
    }

    /** The rows one append writes once: each touched index key's bucket range, the event count, the last position. */
    private void putGroup(WriteBatch batch, Set<String> indexKeys, long lastPosition) throws RocksDBException {
        long bucket = System.currentTimeMillis() * 1000 / BUCKET_MICROS;
        for (String k : indexKeys) {
            int colon = k.indexOf(':');
            byte[] prefix = concat(new byte[] {Byte.parseByte(k.substring(0, colon))}, escaped(k.substring(colon + 1)));
            batch.put(buckets, prefix, concat(ordered(bucket), ordered(bucket), plain(lastPosition)));
        }
        batch.put(meta, META_COUNT, plain(lastPosition));
        batch.put(meta, META_LAST_POSITION, plain(lastPosition));
    }

    // ---- the engine's key encodings (annals-store-rocksdb Keys)

    static byte[] plain(long value) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }

    static byte[] ordered(long value) {
        return plain(value ^ Long.MIN_VALUE);
    }

    /** Escaped, terminated UTF-8: 0x00 becomes 0x00 0xFF, and 0x00 0x01 ends the string. */
    static byte[] escaped(String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 2);
        for (byte b : raw) {
            out.write(b);
            if (b == 0) out.write(0xFF);
        }
        out.write(0);
        out.write(1);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = Arrays.copyOf(parts[0], n);
        int at = parts[0].length;
        for (int i = 1; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, out, at, parts[i].length);
            at += parts[i].length;
        }
        return out;
    }

    /** Rows per column family (by iterating; for tests on small stores). */
    Map<String, Long> countRows() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < FAMILIES.size(); i++) {
            long n = 0;
            try (RocksIterator it = db.newIterator(handles.get(i))) {
                for (it.seekToFirst(); it.isValid(); it.next()) n++;
            }
            counts.put(FAMILIES.get(i), n);
        }
        return counts;
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) h.close();
        db.close();
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // native handles do not fail to close
            }
        }
    }
}
