package io.annals.store.rocksdb;

import io.annals.core.api.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
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
import org.rocksdb.WriteOptions;

/**
 * The open RocksDB database, its column families and the native option objects, closed in reverse order of
 * creation. See {@code docs/storage-rocksdb.md} for what each column family holds.
 */
final class Store implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    /** Column families, in the order they are opened. {@code default} holds the small meta keys. */
    enum Cf {
        META("default", false), EVENTS("events", true), LOG("log", false), HISTORY("aggregates", false),
        STREAMS("streams", true), INDEX("index", false), BUCKETS("buckets", true), EXPIRY("expiry", false),
        /** Added after the first release: stores made before it get it, empty, when they are next opened. */
        CHECKPOINTS("checkpoints", true),
        /** Added with KeyValues, like {@code checkpoints}. */
        KV("kv", true);

        final String name;
        final boolean pointLookups;

        Cf(String name, boolean pointLookups) {
            this.name = name;
            this.pointLookups = pointLookups;
        }
    }

    static final byte[] META_COUNT = "events.count".getBytes(StandardCharsets.UTF_8);
    static final byte[] META_LAST_POSITION = "log.last-position".getBytes(StandardCharsets.UTF_8);
    static final byte[] META_BUCKET_MICROS = "index.bucket-micros".getBytes(StandardCharsets.UTF_8);

    final RocksDB db;
    final Path dir;
    private final ColumnFamilyHandle[] handles;
    private final List<AutoCloseable> resources = new ArrayList<>();
    final WriteOptions syncedWrites;
    final WriteOptions unsyncedWrites;

    Store(Path dir, RocksDbConfig config) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
        LRUCache cache = own(new LRUCache(config.blockCacheBytes()));
        BloomFilter bloom = own(new BloomFilter(10));
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (Cf cf : Cf.values()) {
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setCacheIndexAndFilterBlocks(true)
                    .setPinL0FilterAndIndexBlocksInCache(true)
                    .setFormatVersion(5);
            if (cf.pointLookups) table.setFilterPolicy(bloom);
            ColumnFamilyOptions options = own(new ColumnFamilyOptions()
                    .setTableFormatConfig(table)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
                    .setLevelCompactionDynamicLevelBytes(true));
            options.setWriteBufferSize(cf == Cf.EVENTS ? config.writeBufferBytes() : config.writeBufferBytes() / 2);
            descriptors.add(new ColumnFamilyDescriptor(cf.name.getBytes(StandardCharsets.UTF_8), options));
        }
        DBOptions dbOptions = own(new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(config.backgroundJobs())
                // all memtables together stay within four of the events' (flushing the largest when over)
                .setDbWriteBufferSize(4 * config.writeBufferBytes())
                .setBytesPerSync(1 << 20)
                .setKeepLogFileNum(5));
        syncedWrites = own(new WriteOptions().setSync(true));
        unsyncedWrites = own(new WriteOptions().setSync(false));
        List<ColumnFamilyHandle> opened = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, opened);
        } catch (RocksDBException e) {
            closeResources();
            throw new StoreUnavailableException("cannot open the RocksDB store in " + dir + ": " + e.getMessage(), e);
        }
        handles = opened.toArray(new ColumnFamilyHandle[0]);
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    ColumnFamilyHandle cf(Cf cf) {
        return handles[cf.ordinal()];
    }

    /** Reads a long meta value, or {@code dflt} when absent. */
    long metaLong(byte[] key, long dflt) {
        try {
            byte[] v = db.get(cf(Cf.META), key);
            return v == null ? dflt : Keys.getLong(v, 0);
        } catch (RocksDBException e) {
            throw unavailable("read " + new String(key, StandardCharsets.UTF_8), e);
        }
    }

    static StoreUnavailableException unavailable(String what, RocksDBException e) {
        return new StoreUnavailableException("RocksDB failed to " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) h.close();
        try {
            db.closeE();
        } catch (RocksDBException e) {
            throw unavailable("close", e);
        } finally {
            closeResources();
        }
    }

    private void closeResources() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // native handles do not fail to close
            }
        }
    }
}
