package io.annals.sourcing.schedules;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import io.annals.sourcing.api.Processing;
import io.annals.sourcing.api.Schedule;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The schedule contract on the store: the in-memory engine, and RocksDB reopened between two processings. */
class PersistentScheduleTest {

    @Nested
    class OnMemory extends ScheduleContract {
        EventStore store = EventStores.open("memory", EngineSettings.of(null));

        @Override
        protected void closeResources() {
            store.close();
        }

        @Override
        protected Processing.Builder schedule(Processing.Builder builder) {
            return builder.schedule(Schedule.PERSISTENT).store(store);
        }

        @Override
        protected boolean keepsEvents() {
            return true;
        }
    }

    @Nested
    class OnRocksDb extends ScheduleContract {
        @TempDir
        Path dir;
        EventStore store;

        @BeforeEach
        void open() {
            store = EventStores.open("rocksdb", new EngineSettings(dir, Map.of("sync", "none"), Clock.systemUTC()));
        }

        @Override
        protected void closeResources() {
            store.close();
        }

        @Override
        protected void restart() {
            store.close();
            store = EventStores.open("rocksdb", new EngineSettings(dir, Map.of("sync", "none"), Clock.systemUTC()));
        }

        @Override
        protected Processing.Builder schedule(Processing.Builder builder) {
            return builder.schedule(Schedule.PERSISTENT).store(store);
        }

        @Override
        protected boolean keepsEvents() {
            return true;
        }
    }
}
