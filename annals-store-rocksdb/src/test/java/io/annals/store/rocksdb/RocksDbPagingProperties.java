package io.annals.store.rocksdb;

import io.annals.core.spi.EngineSettings;
import io.annals.core.spi.StorageEngine;
import io.annals.testkit.PagingProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.lifecycle.AfterTry;

/** The testkit's paging properties on the RocksDB engine: a fresh store in a fresh directory for every try. */
class RocksDbPagingProperties extends PagingProperties {
    private final List<Path> dirs = new ArrayList<>();

    @Override
    protected StorageEngine openEngine(Clock clock) {
        try {
            Path dir = Files.createTempDirectory("annals-paging");
            dirs.add(dir);
            return new RocksDbEngineProvider().open(new EngineSettings(dir, RocksDbContractTest.OPTIONS, clock));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The property has closed its store by now. */
    @AfterTry
    void deleteStores() throws IOException {
        for (Path dir : dirs) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        dirs.clear();
    }
}
