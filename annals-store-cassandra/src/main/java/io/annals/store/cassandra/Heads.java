package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.annals.core.api.AggregateId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stream heads as this process last knew them. In {@code stream-heads = lwt} mode a stale entry (another process
 * appended) only costs a failed conditional write, which corrects it; in {@code local} mode the cache is the truth.
 */
final class Heads {
    private static final int MAX_CACHED = 100_000;

    private final Connection conn;
    private final Map<AggregateId, Long> cached = new ConcurrentHashMap<>();

    Heads(Connection conn) {
        this.conn = conn;
    }

    /** The cached version, or null when this process does not know it. */
    Long cached(AggregateId a) {
        return cached.get(a);
    }

    long cachedOrZero(AggregateId a) {
        return cached.getOrDefault(a, 0L);
    }

    void remember(AggregateId a, long version) {
        cached.put(a, version);
    }

    void rememberAll(Map<AggregateId, Long> versions) {
        cached.putAll(versions);
        if (cached.size() > MAX_CACHED) cached.clear();
    }

    void forget(AggregateId a) {
        cached.remove(a);
    }

    /** Reads the stored version (0 for a stream that does not exist) and remembers it. */
    long read(Statements s, AggregateId a) {
        List<AsyncResultSet> r = Async.all(conn, List.of(s.selectHead.bind(a.type(), a.id())));
        Row row = r.get(0).one();
        long v = row == null ? 0 : row.getLong("version");
        cached.put(a, v);
        return v;
    }
}
