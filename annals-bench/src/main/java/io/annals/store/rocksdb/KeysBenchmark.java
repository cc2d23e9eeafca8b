package io.annals.store.rocksdb;

import io.annals.core.api.AggregateId;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The RocksDB engine's key encodings, made for every row of every append and decoded for every index row read.
 * This class lives in the engine's package (in the annals-bench jar) because {@code Keys} is package-private: the
 * benchmark measures the engine's own code, not a copy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeysBenchmark {
    private final String type = "parcel.delivered";
    private final AggregateId aggregate = AggregateId.of("parcel", "69016fb5");
    private final String id = "0193a1f2-7c3e-7b1a-9c4d-2f6e8a0b1c2d";
    private final long micros = 1_459_420_602_171_234L;
    private final long bucket = micros / 3_600_000_000L;
    private final byte[] indexKey = Keys.bucketed(Keys.indexPrefix(Keys.BY_TYPE, type), bucket, micros, id);

    /** An index row key: kind, escaped type, bucket, event time, id. */
    @Benchmark
    public byte[] encodeIndexKey() {
        return Keys.bucketed(Keys.indexPrefix(Keys.BY_TYPE, type), bucket, micros, id);
    }

    /** An aggregate history row key: escaped aggregate type and id, event time, id. */
    @Benchmark
    public byte[] encodeHistoryKey() {
        return Keys.timed(Keys.stream(aggregate), micros, id);
    }

    /** What a page read takes out of each index key: the key part, the event time and the id. */
    @Benchmark
    public long decodeIndexKey() {
        Keys.Decoded key = Keys.unescape(indexKey, 1);
        long time = Keys.getOrdered(indexKey, key.next() + 8);
        String eventId = Keys.idAt(indexKey, key.next() + 16);
        return time + eventId.length() + key.value().length();
    }
}
