package io.annals.bench;

import io.annals.core.api.AppendRequest;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Java API: {@code EventStores.open(engine, settings)} through the {@link EventStore} facade, each append
 * waiting for its acknowledgement. Events are made before the clock starts and carry no id, so the store assigns
 * UUIDv7 ids (the path most clients take).
 */
final class ApiTarget implements WriteTarget {
    private static final int POOL = 1024;

    private final EventStore store;
    private final int bodyBytes;

    ApiTarget(String engine, Path dir, Map<String, String> options, int bodyBytes) {
        this.store = EventStores.open(engine, new EngineSettings(dir, options, Clock.systemUTC()));
        this.bodyBytes = bodyBytes;
    }

    EventStore store() {
        return store;
    }

    @Override
    public Runner.Operation single(int worker) {
        List<AppendRequest> pool = singles(worker);
        int[] next = {0};
        return () -> {
            store.append(pool.get(next[0]++ & (POOL - 1)));
            return 1;
        };
    }

    /**
     * {@code window} single-event appends in flight from one worker: each call starts them with {@code appendAsync}
     * and waits for all (the raw driver's workers likewise keep a group in flight).
     */
    Runner.Operation window(int worker, int window) {
        List<AppendRequest> pool = singles(worker);
        int[] next = {0};
        CompletableFuture<?>[] inFlight = new CompletableFuture<?>[window];
        return () -> {
            for (int i = 0; i < window; i++) inFlight[i] = store.appendAsync(pool.get(next[0]++ & (POOL - 1))).toCompletableFuture();
            CompletableFuture.allOf(inFlight).join();
            return window;
        };
    }

    /** A worker's {@value #POOL} single-event appends, made before the clock starts. */
    private List<AppendRequest> singles(int worker) {
        EventFactory factory = new EventFactory(worker, bodyBytes);
        List<AppendRequest> pool = new ArrayList<>(POOL);
        for (int i = 0; i < POOL; i++) pool.add(AppendRequest.of(factory.next(null)));
        return pool;
    }

    @Override
    public Runner.Operation batch(int worker, int size) {
        EventFactory factory = new EventFactory(worker, bodyBytes);
        List<AppendRequest> pool = new ArrayList<>(16);
        for (int i = 0; i < 16; i++) pool.add(AppendRequest.of(factory.batch(size)));
        int[] next = {0};
        return () -> {
            store.append(pool.get(next[0]++ & 15));
            return size;
        };
    }

    @Override
    public void close() {
        store.close();
    }
}
