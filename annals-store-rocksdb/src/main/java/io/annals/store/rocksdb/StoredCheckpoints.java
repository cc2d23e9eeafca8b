package io.annals.store.rocksdb;

import io.annals.core.api.Position;
import io.annals.store.rocksdb.Store.Cf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteOptions;

/**
 * The named positions, in column family {@code checkpoints}: the name's UTF-8 bytes map to the position's. Keys
 * sort by their bytes, which is the names' code point order, so a prefix is one contiguous range. Writes bypass the
 * group-commit writer (they touch no event row) and are synced like appends. The caller guards against close.
 */
final class StoredCheckpoints {
    private final Store store;
    private final WriteOptions writes;

    StoredCheckpoints(Store store, WriteOptions writes) {
        this.store = store;
        this.writes = writes;
    }

    Optional<Position> get(String name) {
        try {
            byte[] value = store.db.get(store.cf(Cf.CHECKPOINTS), Keys.utf8(name));
            return Optional.ofNullable(value).map(StoredCheckpoints::position);
        } catch (RocksDBException e) {
            throw Store.unavailable("read checkpoint '" + name + "'", e);
        }
    }

    void put(String name, Position position) {
        try {
            store.db.put(store.cf(Cf.CHECKPOINTS), writes, Keys.utf8(name), Keys.utf8(position.value()));
        } catch (RocksDBException e) {
            throw Store.unavailable("write checkpoint '" + name + "'", e);
        }
    }

    void delete(String name) {
        try {
            store.db.delete(store.cf(Cf.CHECKPOINTS), writes, Keys.utf8(name));
        } catch (RocksDBException e) {
            throw Store.unavailable("delete checkpoint '" + name + "'", e);
        }
    }

    Map<String, Position> list(String prefix) {
        byte[] lower = Keys.utf8(prefix);
        byte[] upper = Keys.prefixEnd(lower);
        Map<String, Position> out = new LinkedHashMap<>();
        try (Slice bound = upper == null ? null : new Slice(upper);
             ReadOptions options = new ReadOptions();
             RocksIterator it = store.db.newIterator(store.cf(Cf.CHECKPOINTS), bound == null ? options : options.setIterateUpperBound(bound))) {
            for (it.seek(lower); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (upper == null && !startsWith(key, lower)) break;
                out.put(new String(key, StandardCharsets.UTF_8), position(it.value()));
            }
            it.status();
        } catch (RocksDBException e) {
            throw Store.unavailable("list the checkpoints under '" + prefix + "'", e);
        }
        return out;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static Position position(byte[] value) {
        return Position.of(new String(value, StandardCharsets.UTF_8));
    }
}
