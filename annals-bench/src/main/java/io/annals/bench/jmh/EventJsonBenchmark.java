package io.annals.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.AggregateId;
import io.annals.core.api.Event;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.RawJson;
import io.annals.core.api.codec.EventJson;
import io.annals.core.api.codec.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * The JSON codec on the hot paths, for one event of about 300 bytes: the engine writes the stored form on every
 * append ({@code write}) and reads it on every page ({@code read}); the server parses the client's form on every
 * POST ({@code parseNewEvent}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventJsonBenchmark {
    private final Event event = new Event("0193a1f2-7c3e-7b1a-9c4d-2f6e8a0b1c2d", "parcel.delivered", 1,
            "depot-scanner:7", AggregateId.of("parcel", "69016fb5"), Instant.parse("2016-03-31T10:36:42.171234Z"),
            Instant.parse("2016-03-31T10:36:48.390412Z"), Map.of("anyMetaKey", "someMetaValue"), List.of("tag1", "tag2"),
            RawJson.parse("{\"deliveryAddress\":\"123 Sudbury Avenue\",\"weightGrams\":1250,\"note\":\"leave with neighbour\"}"),
            null, Position.of("123456"), 4);
    private final byte[] stored = EventJson.toBytes(event);
    private final byte[] posted = ("{\"type\":\"parcel.delivered\",\"source\":\"depot-scanner:7\","
            + "\"aggregate\":{\"type\":\"parcel\",\"id\":\"69016fb5\"},\"time\":\"2016-03-31T10:36:42.171234Z\","
            + "\"metadata\":{\"anyMetaKey\":\"someMetaValue\",\"tags\":[\"tag1\",\"tag2\"]},"
            + "\"payload\":{\"deliveryAddress\":\"123 Sudbury Avenue\",\"weightGrams\":1250,\"note\":\"leave with neighbour\"}}")
            .getBytes(StandardCharsets.UTF_8);

    @Benchmark
    public byte[] write() {
        return EventJson.toBytes(event);
    }

    @Benchmark
    public Event read() {
        return EventJson.fromBytes(stored);
    }

    @Benchmark
    public NewEvent parseNewEvent() {
        JsonNode node = Json.parse(Json.mapper(), posted);
        return EventJson.readNewEvent(node);
    }

    /** Size of the stored form, printed by {@code main} so the figures can be read per byte. */
    public static void main(String[] args) {
        EventJsonBenchmark b = new EventJsonBenchmark();
        System.out.println("stored " + b.stored.length + " bytes, posted " + b.posted.length + " bytes");
    }
}
