package io.annals.bench;

/**
 * Something the write scenarios append to: raw RocksDB, the Java API or the HTTP API. One is opened fresh for each
 * scenario (a new, empty store) and closed after it. Operations it makes are used by one worker each.
 */
interface WriteTarget extends AutoCloseable {

    /** Appends one event per call and returns once it is acknowledged (durable per the sync policy). */
    Runner.Operation single(int worker) throws Exception;

    /** Appends {@code size} events atomically per call. */
    Runner.Operation batch(int worker, int size) throws Exception;

    @Override
    void close() throws Exception;
}
