package io.annals.core.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A small durable key-value store kept beside the events, for what is derived from them: a view's state written
 * together with its checkpoint, snapshots of aggregates, the ids a processor has handled, leases.
 *
 * <p>Keys live in <em>spaces</em>. A space is the unit of {@link #scan ordered reads}; on Cassandra it is one
 * partition, so keep each space bounded (thousands of keys, a few megabytes, not millions). Spaces and keys are 1 to
 * {@value #MAX_NAME_LENGTH} characters of well-formed Unicode and sort by code point (the order of their UTF-8
 * bytes); values are at most {@value #MAX_VALUE_BYTES} bytes. Other input is refused with an
 * {@link IllegalArgumentException} before anything is written.
 *
 * <p>A {@link #write} is durable when it returns, like an append, and atomic: after a crash all of its puts and
 * deletes hold or none does (on Cassandra a logged batch: all of it is applied eventually, and a reader may briefly see
 * part of a batch that spans spaces). An entry may carry a time to live (whole seconds, at least one); once it has
 * passed, the entry is gone for every read. Thread-safe; the last write of a key wins. On a closed store every call
 * fails with {@link StoreUnavailableException}.
 */
public interface KeyValues {
    int MAX_NAME_LENGTH = 256;
    int MAX_VALUE_BYTES = 4 * 1024 * 1024;

    Optional<byte[]> get(String space, String key);

    /** Up to {@code limit} (1 to 10,000) live entries of {@code space} whose keys sort after {@code after} ("" from the start), in key order. */
    List<Entry> scan(String space, String after, int limit);

    /** Applies every put and delete of {@code batch} together (see the class comment); an empty batch does nothing. */
    void write(Batch batch);

    /** Writes one entry without a time to live. */
    default void put(String space, String key, byte[] value) {
        write(new Batch().put(space, key, value));
    }

    default void delete(String space, String key) {
        write(new Batch().delete(space, key));
    }

    /**
     * Sets {@code key} to {@code value} (with {@code ttl}, or none when null) only if its live value now is
     * {@code expected}, where a null {@code expected} means absent; a null {@code value} deletes. Returns whether it
     * wrote. Linearizable against every other {@code compareAndSet} of the key, also from other processes sharing
     * the store (on Cassandra a lightweight transaction at SERIAL): use it for claims, leases and "first one wins",
     * and write such keys only through this method (plain writes of the same key may be ordered arbitrarily
     * against it on Cassandra).
     */
    boolean compareAndSet(String space, String key, byte[] expected, byte[] value, Duration ttl);

    /** One entry: its key and value. */
    record Entry(String key, byte[] value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && key.equals(e.key) && Arrays.equals(value, e.value);
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Entry[" + key + ", " + value.length + " bytes]";
        }
    }

    /** Puts and deletes to apply together, in the order given (a later operation on the same key wins). Not thread-safe. */
    final class Batch {
        private final List<Op> ops = new ArrayList<>();

        public Batch put(String space, String key, byte[] value) {
            return put(space, key, value, null);
        }

        /** Puts with a time to live ({@code null} for none). */
        public Batch put(String space, String key, byte[] value, Duration ttl) {
            ops.add(new Op(space, key, Objects.requireNonNull(value, "value"), ttl));
            return this;
        }

        public Batch delete(String space, String key) {
            ops.add(new Op(space, key, null, null));
            return this;
        }

        public List<Op> ops() {
            return List.copyOf(ops);
        }

        public boolean isEmpty() {
            return ops.isEmpty();
        }

        /** A put ({@code value} not null, {@code ttl} null for none) or a delete ({@code value} null). */
        public record Op(String space, String key, byte[] value, Duration ttl) {
            public Op {
                Objects.requireNonNull(space, "space");
                Objects.requireNonNull(key, "key");
            }

            public boolean isDelete() {
                return value == null;
            }
        }
    }
}
