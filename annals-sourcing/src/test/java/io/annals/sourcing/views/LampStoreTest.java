package io.annals.sourcing.views;

import io.annals.core.api.EventStore;
import io.annals.sourcing.api.Sourcing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the view tests share: a store of the engine under test in a temporary directory, the lamp domain on it, and
 * what a test started (views, catalogues, indexes), closed after the test, before the store.
 */
abstract class LampStoreTest {
    @TempDir
    Path dir;
    EventStore store;
    private final List<AutoCloseable> started = new ArrayList<>();

    Sourcing open(String engine) {
        store = TestStores.open(engine, dir);
        return Sourcing.on(store, LampEvent.DOMAIN).build();
    }

    /** {@code running}, to be closed after the test. */
    <T extends AutoCloseable> T started(T running) {
        started.add(running);
        return running;
    }

    @AfterEach
    void closeStarted() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) started.get(i).close();
        if (store != null) store.close();
    }
}
