package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.servererrors.CASWriteUnknownException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import io.annals.core.api.KeyValues;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.codec.Times;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The key-values in table {@code kv}: a space is a partition, its keys clustered in code point order (Cassandra
 * orders {@code text} by its UTF-8 bytes). {@code expires} is the expiry in microseconds since the epoch by the
 * engine's TTL clock ({@link #NEVER} for none); a row with a time to live also gets {@code USING TTL} (whole seconds,
 * rounded up, and one second more: Cassandra counts it from the write time truncated to the second) so that Cassandra removes it, but reads decide by {@code expires} and the engine's clock, as for events.
 *
 * <p>Every put is an {@code UPDATE} setting both columns with the same TTL, so no row marker outlives its cells.
 * A {@link #write} is one statement for one key, an unlogged batch when all keys are in one space and a logged batch
 * otherwise; operations on the same key are folded first (the last wins), since the statements of a batch share
 * one write time.
 *
 * <p>{@link #compareAndSet} is a lightweight transaction at {@code consistency.serial}: over a live value it is
 * {@code IF value = expected AND expires > now}; over "absent" it is {@code IF value = v AND expires = e} on what the
 * key holds (null and null when nothing), repeated when a concurrent write moved it, so an entry expired by the clock
 * but still stored counts as absent. A transaction whose outcome is unknown (a CAS write timeout, the driver's own
 * timeout) is resolved by a read at the serial consistency, which completes any round still in flight: see
 * {@link #resolve}.
 */
final class CassandraKeyValues implements KeyValues {
    /** The {@code expires} of an entry without a time to live (no null is written: a null cell is a tombstone). */
    static final long NEVER = Long.MAX_VALUE;
    /** Rows per page of a scan: values may be up to 4 MiB. */
    static final int SCAN_PAGE = 100;
    /** Rounds of an absent-expecting compareAndSet that find the key moved by others before giving up. */
    private static final int CAS_ROUNDS = 20;

    private final Connection conn;
    private final CassandraConfig config;
    private final Clock ttlClock;
    private volatile Prepared prepared;

    CassandraKeyValues(Connection conn, CassandraConfig config, Clock ttlClock) {
        this.conn = conn;
        this.config = config;
        this.ttlClock = ttlClock;
    }

    /** The statements of this table, prepared on first use (after the connection has made the schema). */
    private record Prepared(CqlSession session, PreparedStatement get, PreparedStatement serialGet, PreparedStatement scan,
                            PreparedStatement put, PreparedStatement delete, PreparedStatement casOver,
                            PreparedStatement casLive, PreparedStatement casDeleteLive) {}

    private Prepared prepared() {
        Prepared p = prepared;
        if (p != null) return p;
        synchronized (this) {
            if (prepared != null) return prepared;
            CqlSession session = conn.statements().session;
            String t = config.keyspace() + ".kv";
            ConsistencyLevel read = config.readConsistency(), write = config.writeConsistency(), serial = config.serialConsistency();
            String set = "UPDATE " + t + " USING TTL ? SET value = ?, expires = ? WHERE space = ? AND key = ?";
            prepared = new Prepared(session,
                    prepare(session, "SELECT value, expires FROM " + t + " WHERE space = ? AND key = ?", read, null, false),
                    prepare(session, "SELECT value, expires FROM " + t + " WHERE space = ? AND key = ?", serial, null, false),
                    prepare(session, "SELECT key, value, expires FROM " + t + " WHERE space = ? AND key > ?", read, null, false),
                    prepare(session, set, write, null, true),
                    prepare(session, "DELETE FROM " + t + " WHERE space = ? AND key = ?", write, null, true),
                    prepare(session, set + " IF value = ? AND expires = ?", write, serial, false),
                    prepare(session, set + " IF value = ? AND expires > ?", write, serial, false),
                    prepare(session, "DELETE FROM " + t + " WHERE space = ? AND key = ? IF value = ? AND expires > ?", write, serial, false));
            return prepared;
        }
    }

    private static PreparedStatement prepare(CqlSession session, String cql, ConsistencyLevel level, ConsistencyLevel serial,
                                             boolean idempotent) {
        SimpleStatement s = SimpleStatement.newInstance(cql).setConsistencyLevel(level).setIdempotent(idempotent);
        if (serial != null) s = s.setSerialConsistencyLevel(serial);
        return session.prepare(s);
    }

    @Override
    public Optional<byte[]> get(String space, String key) {
        return call(() -> {
            Prepared p = prepared();
            return Optional.ofNullable(live(p.session().execute(p.get().bind(space, key)).one(), now()));
        });
    }

    @Override
    public List<Entry> scan(String space, String after, int limit) {
        return call(() -> {
            Prepared p = prepared();
            long now = now();
            List<Entry> out = new ArrayList<>();
            ResultSet rows = p.session().execute(p.scan().bind(space, after).setPageSize(Math.min(limit, SCAN_PAGE)));
            for (Row row : rows) {
                byte[] value = live(row, now);
                if (value != null) out.add(new Entry(row.getString("key"), value));
                if (out.size() == limit) break;
            }
            return out;
        });
    }

    @Override
    public void write(Batch batch) {
        call(() -> {
            Prepared p = prepared();
            long now = now();
            Map<List<String>, Batch.Op> last = new LinkedHashMap<>();
            for (Batch.Op op : batch.ops()) {
                List<String> k = List.of(op.space(), op.key());
                last.remove(k);
                last.put(k, op);
            }
            List<BoundStatement> statements = new ArrayList<>();
            for (Batch.Op op : last.values()) {
                statements.add(op.isDelete() ? p.delete().bind(op.space(), op.key())
                        : p.put().bind(rowTtl(op.ttl()), ByteBuffer.wrap(op.value()), expiresAt(now, op.ttl()), op.space(), op.key()));
            }
            Statement<?> statement;
            if (statements.size() == 1) {
                statement = statements.get(0);
            } else {
                boolean oneSpace = last.keySet().stream().map(k -> k.get(0)).distinct().count() == 1;
                statement = BatchStatement.newInstance(oneSpace ? BatchType.UNLOGGED : BatchType.LOGGED)
                        .addAll(statements).setConsistencyLevel(config.writeConsistency()).setIdempotent(true);
            }
            try {
                p.session().execute(statement);
            } catch (InvalidQueryException e) {
                if (e.getMessage() != null && e.getMessage().contains("Batch too large"))
                    throw new IllegalArgumentException("a batch over several key-value spaces is larger than Cassandra's"
                            + " batch_size_fail_threshold (50 KiB by default): split it, keep its keys in one space, or raise"
                            + " the threshold in cassandra.yaml (" + e.getMessage() + ")", e);
                throw e;
            }
            return null;
        });
    }

    @Override
    public boolean compareAndSet(String space, String key, byte[] expected, byte[] value, Duration ttl) {
        return call(() -> {
            Prepared p = prepared();
            if (expected != null) {
                long now = now();
                BoundStatement cas = value == null
                        ? p.casDeleteLive().bind(space, key, ByteBuffer.wrap(expected), now)
                        : p.casLive().bind(rowTtl(ttl), ByteBuffer.wrap(value), expiresAt(now, ttl), space, key,
                                ByteBuffer.wrap(expected), now);
                return execute(p, cas, space, key, expected, value).applied();
            }
            // expected absent: condition on exactly what the key holds (null and null when nothing) until it is
            // applied or the key is found live; an entry expired by the clock but still stored counts as absent
            Held held = new Held(false, null, null);
            for (int round = 0; round < CAS_ROUNDS; round++) {
                long now = now();
                BoundStatement cas = p.casOver().bind(rowTtl(ttl), ByteBuffer.wrap(value), expiresAt(now, ttl), space, key,
                        held.value(), held.expires());
                held = execute(p, cas, space, key, null, value);
                if (held.applied()) return true;
                if (held.value() != null && (held.expires() == null || held.expires() > now)) return false;
            }
            throw new StoreUnavailableException("compareAndSet of key '" + key + "' in space '" + space + "' found it changed by"
                    + " others " + CAS_ROUNDS + " times in a row; try again", null);
        });
    }

    /** A transaction's outcome and, when not applied, what the key holds (as stored, expired or not). */
    private record Held(boolean applied, ByteBuffer value, Long expires) {
        static Held of(boolean applied, Row row) {
            if (row == null || !row.getColumnDefinitions().contains("value") || row.isNull("value")) return new Held(applied, null, null);
            return new Held(applied, row.getByteBuffer("value"), row.isNull("expires") ? null : row.getLong("expires"));
        }
    }

    /**
     * Runs a lightweight transaction. When its outcome is unknown (a CAS write timeout, the driver's timeout), reads
     * the key at the serial consistency, which completes or cancels the round still in flight, and decides by
     * {@link #resolve}; an undecidable outcome fails with {@link StoreUnavailableException} saying so.
     */
    private Held execute(Prepared p, BoundStatement cas, String space, String key, byte[] expected, byte[] value) {
        try {
            Row row = p.session().execute(cas).one();
            return Held.of(row.getBoolean("[applied]"), row);
        } catch (WriteTimeoutException | CASWriteUnknownException | DriverTimeoutException e) {
            if (e instanceof WriteTimeoutException w && !w.getWriteType().name().equals("CAS")) throw e;
            Row row;
            try {
                row = p.session().execute(p.serialGet().bind(space, key)).one();
            } catch (RuntimeException again) {
                throw new StoreUnavailableException("compareAndSet of key '" + key + "' in space '" + space + "' timed out ("
                        + e.getMessage() + ") and reading it at the serial consistency failed too (" + again.getMessage()
                        + "): whether it was applied is unknown; read the key to find out", again);
            }
            return switch (resolve(expected, value, live(row, now()))) {
                case APPLIED -> new Held(true, null, null);
                case NOT_APPLIED -> Held.of(false, row);
                case UNKNOWN -> throw new StoreUnavailableException("compareAndSet of key '" + key + "' in space '" + space
                        + "' timed out (" + e.getMessage() + ") and the key now holds another value: whether it was applied"
                        + " before that is unknown; read the key to decide", e);
            };
        }
    }

    enum Outcome { APPLIED, NOT_APPLIED, UNKNOWN }

    /**
     * Decides a compareAndSet whose outcome was unknown from the live value {@code now} read at the serial consistency
     * afterwards: our value (absent, for a delete) means it applied, taking values written by concurrent
     * compareAndSets of a key to be distinct (put the writer's id in them); the expected value means it did not;
     * anything else cannot be decided.
     */
    static Outcome resolve(byte[] expected, byte[] value, byte[] now) {
        if (Arrays.equals(now, value)) return Outcome.APPLIED;
        if (Arrays.equals(now, expected)) return Outcome.NOT_APPLIED;
        return Outcome.UNKNOWN;
    }

    /** The live value of a row (null when absent, or expired by the engine's clock). */
    private static byte[] live(Row row, long nowMicros) {
        if (row == null || row.isNull("value")) return null;
        long expires = row.isNull("expires") ? NEVER : row.getLong("expires");
        if (expires <= nowMicros) return null;
        ByteBuffer b = row.getByteBuffer("value");
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** The time to live rounded up to whole seconds, 0 for none (Cassandra's "no TTL"). */
    static int ttlSeconds(Duration ttl) {
        if (ttl == null) return 0;
        return (int) Math.min(Rows.MAX_TTL_SECONDS, ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0));
    }

    /**
     * The {@code USING TTL} of a row: a second more than {@link #ttlSeconds}, because Cassandra counts a TTL from its
     * write time truncated to the second, so a row could vanish up to a second before its {@code expires}, which is
     * what reads go by. 0 for none.
     */
    static int rowTtl(Duration ttl) {
        int seconds = ttlSeconds(ttl);
        return seconds == 0 ? 0 : (int) Math.min(Rows.MAX_TTL_SECONDS, seconds + 1L);
    }

    static long expiresAt(long nowMicros, Duration ttl) {
        return ttl == null ? NEVER : nowMicros + ttlSeconds(ttl) * 1_000_000L;
    }

    private long now() {
        return Times.toMicros(ttlClock.instant());
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
