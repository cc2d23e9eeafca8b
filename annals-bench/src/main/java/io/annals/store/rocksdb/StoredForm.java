package io.annals.store.rocksdb;

import io.annals.core.api.Event;

/**
 * The RocksDB engine's stored form of an event ({@code EventCodec}, package-private), for the raw baseline of the
 * load generator: it writes the very bytes the engine writes. Lives in the engine's package inside the bench jar.
 */
public final class StoredForm {
    private StoredForm() {}

    /** The value the engine puts in its {@code events} column family for {@code event}. */
    public static byte[] encode(Event event) {
        return EventCodec.encode(event);
    }
}
