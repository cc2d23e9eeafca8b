package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.annals.core.api.Checkpoints;
import io.annals.core.api.Position;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checkpoints in the {@code checkpoints} table: one partition (they are few: one per subscription partition and
 * relay), clustered by name, so that a prefix is one slice in name order (Cassandra orders {@code text} by its UTF-8
 * bytes, which is code point order). A put is a plain write at {@code consistency.write}: the last put wins by
 * its write time.
 */
final class CassandraCheckpoints implements Checkpoints {
    private final Connection conn;

    CassandraCheckpoints(Connection conn) {
        this.conn = conn;
    }

    @Override
    public Optional<Position> get(String name) {
        return call(() -> {
            Statements s = conn.statements();
            Row row = Async.all(conn, List.of(s.selectCheckpoint.bind(name))).get(0).one();
            return row == null ? Optional.empty() : Optional.of(Position.of(row.getString("position")));
        });
    }

    @Override
    public void put(String name, Position position) {
        call(() -> {
            Statements s = conn.statements();
            return Async.all(conn, List.of(s.putCheckpoint.bind(name, position.value())));
        });
    }

    @Override
    public void delete(String name) {
        call(() -> {
            Statements s = conn.statements();
            return Async.all(conn, List.of(s.deleteCheckpoint.bind(name)));
        });
    }

    @Override
    public Map<String, Position> list(String prefix) {
        return call(() -> {
            Statements s = conn.statements();
            Map<String, Position> out = new LinkedHashMap<>();
            String from = prefix;
            boolean inclusive = true;
            while (true) {
                AsyncResultSet page = Async.all(conn, List.of((inclusive ? s.checkpointsFrom : s.checkpointsAfter)
                        .bind(from))).get(0);
                int rows = 0;
                String last = null;
                for (Row row : page.currentPage()) {
                    rows++;
                    last = row.getString("name");
                    if (!last.startsWith(prefix)) return out;
                    out.put(last, Position.of(row.getString("position")));
                }
                if (rows < Statements.CHECKPOINT_PAGE) return out;
                from = last;
                inclusive = false;
            }
        });
    }

    private <T> T call(Supplier<T> body) {
        conn.ensureOpen();
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw conn.unavailable(e);
        }
    }
}
