package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.util.List;
import java.util.Map;

/**
 * The engine's tables, created with {@code IF NOT EXISTS} when the engine first reaches Cassandra, and the schema
 * version and bucket sizes recorded in {@code schema_version}. docs/storage-cassandra.md explains every table.
 */
final class Schema {
    static final int VERSION = 4;

    private static final String LCS = " WITH compaction = {'class': 'LeveledCompactionStrategy'}";
    private static final String STCS = " WITH compaction = {'class': 'SizeTieredCompactionStrategy'}";
    private static final String TWCS = " WITH compaction = {'class': 'TimeWindowCompactionStrategy',"
            + " 'compaction_window_unit': 'HOURS', 'compaction_window_size': 1}";

    /** Version 2: named positions (subscription checkpoints, the relay's place), all in one partition by name. */
    private static final String CHECKPOINTS_TABLE =
            "CREATE TABLE IF NOT EXISTS checkpoints (part int, name text, position text, PRIMARY KEY ((part), name))" + LCS;

    /** Version 3: KeyValues, a partition per space; {@code expires} in microseconds by the engine's clock (CassandraKeyValues). */
    private static final String KV_TABLE =
            "CREATE TABLE IF NOT EXISTS kv (space text, key text, value blob, expires bigint, PRIMARY KEY ((space), key))" + LCS;

    /**
     * Version 4: server-assigned ids name their log row and have no {@code events} row (an engine of version 3 would
     * not find them by id); the event tables are size-tiered.
     */
    private static final List<String> SIZE_TIERED = List.of("ALTER TABLE events" + STCS, "ALTER TABLE aggregate_events" + STCS);

    /** The tables, in creation order. */
    static final List<String> TABLES = List.of(
            "CREATE TABLE IF NOT EXISTS schema_version (component text PRIMARY KEY, version int, settings map<text, text>)",
            // one row per event: reads by id, the idempotency claim (INSERT IF NOT EXISTS)
            "CREATE TABLE IF NOT EXISTS events (id text PRIMARY KEY, position text, data blob)" + STCS,
            // one row per aggregate: its stream version, advanced with a conditional update
            "CREATE TABLE IF NOT EXISTS stream_heads (agg_type text, agg_id text, version bigint,"
                    + " PRIMARY KEY ((agg_type, agg_id)))" + LCS,
            "CREATE TABLE IF NOT EXISTS aggregate_events (agg_type text, agg_id text, bucket bigint, time bigint, id text,"
                    + " data blob, PRIMARY KEY ((agg_type, agg_id, bucket), time, id))" + STCS,
            "CREATE TABLE IF NOT EXISTS events_by_type (type text, bucket bigint, time bigint, id text, data blob,"
                    + " PRIMARY KEY ((type, bucket), time, id))" + STCS,
            "CREATE TABLE IF NOT EXISTS events_by_tag (tag text, bucket bigint, time bigint, id text, data blob,"
                    + " PRIMARY KEY ((tag, bucket), time, id))" + STCS,
            "CREATE TABLE IF NOT EXISTS events_by_time (bucket bigint, time bigint, id text, data blob,"
                    + " PRIMARY KEY ((bucket), time, id))" + STCS,
            // the non-empty buckets of every aggregate, type, tag, of all events and of the log
            "CREATE TABLE IF NOT EXISTS buckets (kind text, key text, bucket bigint, PRIMARY KEY ((kind, key), bucket))" + LCS,
            // the global log, also the outbox: partition = log bucket, rows in capture order
            "CREATE TABLE IF NOT EXISTS log (bucket bigint, ltime bigint, id text, writer uuid, data blob,"
                    + " PRIMARY KEY ((bucket), ltime, id))" + TWCS,
            // one row per running engine: what it may not have finished applying (for repair after a crash)
            "CREATE TABLE IF NOT EXISTS writers (writer uuid PRIMARY KEY, low bigint, heartbeat bigint)",
            CHECKPOINTS_TABLE,
            KV_TABLE);

    /** What takes a store from the version before each key to that version (tables created IF NOT EXISTS). */
    static final Map<Integer, List<String>> MIGRATIONS = Map.of(2, List.of(CHECKPOINTS_TABLE), 3, List.of(KV_TABLE), 4, SIZE_TIERED);

    private Schema() {}

    static String createKeyspace(CassandraConfig config) {
        return "CREATE KEYSPACE IF NOT EXISTS " + config.keyspace() + " WITH replication = "
                + CassandraConfig.replicationCql(config.replication());
    }

    /** The options fixed when the store is created: they are part of every row key. */
    static Map<String, String> fixedSettings(CassandraConfig config) {
        return Map.of("bucket.aggregate", config.aggregateBucket().toString(),
                "bucket.index", config.indexBucket().toString(),
                "bucket.log", config.logBucket().toString());
    }

    /** The statements that create the store, keyspace-qualified, for operators who create schemas themselves. */
    static List<String> cql(CassandraConfig config) {
        List<String> out = new java.util.ArrayList<>();
        out.add(createKeyspace(config));
        for (String table : TABLES) out.add(qualified(config, table));
        StringBuilder settings = new StringBuilder("{");
        new java.util.TreeMap<>(fixedSettings(config)).forEach((k, v) ->
                settings.append(settings.length() > 1 ? ", " : "").append('\'').append(k).append("': '").append(v).append('\''));
        out.add("INSERT INTO " + config.keyspace() + ".schema_version (component, version, settings) VALUES ('annals', "
                + VERSION + ", " + settings.append('}') + ") IF NOT EXISTS");
        return out;
    }

    /**
     * Creates what is missing ({@code schema = create}) or only checks it ({@code schema = existing}), then checks
     * that the store was made by this schema version with the same buckets.
     */
    static void ensure(CqlSession session, CassandraConfig config) {
        if (!config.createSchema()) {
            Row version = null;
            try {
                version = session.execute(SimpleStatement.newInstance("SELECT version FROM " + config.keyspace()
                        + ".schema_version WHERE component = 'annals'").setConsistencyLevel(config.readConsistency())).one();
            } catch (com.datastax.oss.driver.api.core.servererrors.InvalidQueryException e) {
                // no such keyspace or table: reported below
            }
            if (version == null)
                throw new IllegalArgumentException("keyspace " + config.keyspace() + " holds no annals schema; create it with"
                        + " the statements of CassandraEngine.schemaCql(settings), or open once with schema = create");
        } else {
            session.execute(SimpleStatement.newInstance(createKeyspace(config)).setTimeout(config.requestTimeout().multipliedBy(3)));
            for (String table : TABLES) {
                session.execute(SimpleStatement.newInstance(table).setKeyspace(config.keyspace())
                        .setTimeout(config.requestTimeout().multipliedBy(3)));
            }
        }
        Map<String, String> wanted = fixedSettings(config);
        SimpleStatement insert = SimpleStatement.newInstance("INSERT INTO " + config.keyspace()
                + ".schema_version (component, version, settings) VALUES ('annals', ?, ?) IF NOT EXISTS", VERSION, wanted)
                .setSerialConsistencyLevel(config.serialConsistency()).setConsistencyLevel(config.writeConsistency());
        Row row = session.execute(insert).one();
        if (row != null && !row.getBoolean("[applied]")) {
            int version = row.getInt("version");
            if (version > VERSION)
                throw new IllegalArgumentException("keyspace " + config.keyspace() + " holds schema version " + version
                        + " but this engine knows version " + VERSION + " at most; upgrade annals");
            Map<String, String> stored = row.getMap("settings", String.class, String.class);
            for (Map.Entry<String, String> e : wanted.entrySet()) {
                if (!e.getValue().equals(stored.get(e.getKey())))
                    throw new IllegalArgumentException("keyspace " + config.keyspace() + " was created with " + e.getKey()
                            + " = " + stored.get(e.getKey()) + "; open it with that value, not " + e.getValue());
            }
            if (version < VERSION) migrate(session, config, version);
        }
    }

    /**
     * Takes a store of an older schema version to this one, a version at a time ({@code schema = create}); with
     * {@code schema = existing} it fails and names the statements to run.
     */
    private static void migrate(CqlSession session, CassandraConfig config, int from) {
        if (!config.createSchema()) {
            List<String> steps = new java.util.ArrayList<>();
            for (int v = from + 1; v <= VERSION; v++) {
                for (String cql : MIGRATIONS.get(v)) steps.add(qualified(config, cql));
                steps.add("UPDATE " + config.keyspace() + ".schema_version SET version = " + v + " WHERE component = 'annals' IF version = " + (v - 1));
            }
            throw new IllegalArgumentException("keyspace " + config.keyspace() + " holds schema version " + from + "; this engine"
                    + " needs version " + VERSION + ": run " + String.join("; ", steps) + " (or open once with schema = create)");
        }
        for (int v = from + 1; v <= VERSION; v++) {
            for (String cql : MIGRATIONS.get(v)) {
                session.execute(SimpleStatement.newInstance(cql).setKeyspace(config.keyspace()).setTimeout(config.requestTimeout().multipliedBy(3)));
            }
            // conditional: of several engines upgrading at once, one moves the version (the others find it moved)
            session.execute(SimpleStatement.newInstance("UPDATE " + config.keyspace() + ".schema_version SET version = ?"
                    + " WHERE component = 'annals' IF version = ?", v, v - 1)
                    .setSerialConsistencyLevel(config.serialConsistency()).setConsistencyLevel(config.writeConsistency()));
        }
    }

    private static String qualified(CassandraConfig config, String table) {
        return table.startsWith("ALTER TABLE ") ? table.replaceFirst("ALTER TABLE ", "ALTER TABLE " + config.keyspace() + ".")
                : table.replaceFirst("IF NOT EXISTS ", "IF NOT EXISTS " + config.keyspace() + ".");
    }
}
