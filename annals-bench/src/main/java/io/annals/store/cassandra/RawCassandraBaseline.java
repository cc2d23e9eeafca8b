package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.annals.core.api.Event;
import io.annals.core.spi.EngineSettings;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The raw-driver baseline of the load generator (it lives in the engine's package to use its statements and row
 * makers, but is not part of the engine): it writes exactly the rows the engine writes for a group of appends of
 * server-assigned ids without expected versions, with the same prepared statements, consistency levels and batch
 * shape (the group's log rows as one single-partition batch, waited for; then the history, head, type, tag and
 * all-events rows (a server-assigned id names its log row, so there is no events row): rows of a partition several events share as one batch, each event's other rows as one batch),
 * straight through the driver: no locks, no head
 * cache or head reads, no thread hand-offs, no futures per append.
 */
public final class RawCassandraBaseline implements AutoCloseable {
    private final Connection conn;
    private final Statements s;
    private final Rows rows;
    private final LogClock logClock;
    private final UUID writer = UUID.randomUUID();

    /** Opens a session with the engine's options (creating the engine's schema if it is missing). */
    public RawCassandraBaseline(Map<String, String> options) {
        CassandraConfig config = CassandraConfig.from(new EngineSettings(null, options, Clock.systemUTC()));
        this.conn = Connection.open(config);
        if (!conn.awaitReady(Duration.ofSeconds(60))) throw new IllegalStateException("Cassandra was not reached");
        this.s = conn.statements();
        this.rows = new Rows(config, Clock.systemUTC());
        this.logClock = new LogClock(Clock.systemUTC(), config.logBucketMicros(), 0);
    }

    /**
     * Writes one group of events (ids and times set, as the facade hands them to the engine) and waits for it. Each
     * event gets stream version {@code version} (the baseline keeps no heads).
     */
    public void writeGroup(List<Event> events, long version) {
        long base = logClock.reserve(events.size());
        List<BoundStatement> log = new ArrayList<>(events.size() + 1);
        BoundStatement bucket = rows.logBucket(s, base);
        if (bucket != null) log.add(bucket);
        List<BoundStatement> logRows = new ArrayList<>(events.size());
        List<Event> stored = new ArrayList<>(events.size());
        List<ByteBuffer> data = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            String id = Keys.engineId(base + i); // server-assigned ids name their log row: no events row
            Event placed = new Event(id, e.type(), e.version(), e.source(), e.aggregate(), e.time(), e.processedAt(),
                    e.metadata(), e.tags(), e.payload(), e.ttl(), Keys.position(base + i, id), version);
            ByteBuffer bytes = Rows.encode(placed);
            stored.add(placed);
            data.add(bytes);
            logRows.add(rows.logRow(s, placed, base + i, writer, bytes));
        }
        // the engine's apply (Committer.applyRows, Rows.requests): each event's rows as one request, except rows of
        // partitions that several events share (one batch per partition); made before the commit, as the engine does
        List<Rows.EventRows> apply = new ArrayList<>(stored.size());
        List<BoundStatement> registry = new ArrayList<>();
        List<BoundStatement> written = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            Event e = stored.get(i);
            Rows.EventRows mine = new Rows.EventRows();
            if (e.aggregate() != null) mine.own().add(s.writeHead.bind(version, e.aggregate().type(), e.aggregate().id()));
            List<BoundStatement> shared = new ArrayList<>(rows.historyRows(s, e, data.get(i)));
            shared.addAll(rows.indexRows(s, e, data.get(i)));
            for (BoundStatement r : shared) (Rows.isRegistry(r) ? registry : mine.shared()).add(r);
            written.addAll(shared);
            apply.add(mine);
        }
        List<Statement<?>> requests = Rows.requests(apply, registry);

        List<Statement<?>> commit = new ArrayList<>();
        if (bucket != null) commit.add(bucket);
        commit.add(Rows.onePartition(logRows));
        Async.all(conn, commit);
        log.addAll(logRows);
        rows.written(log);
        logClock.release(base);
        Async.all(conn, requests);
        rows.written(written);
    }

    @Override
    public void close() {
        conn.close();
    }
}
