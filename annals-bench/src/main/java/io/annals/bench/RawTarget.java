package io.annals.bench;

import java.nio.file.Path;

/** The raw RocksDB baseline as a {@link WriteTarget}. */
final class RawTarget implements WriteTarget {
    private final RawRocksBaseline baseline;

    RawTarget(Path dir, boolean sync, int bodyBytes) throws Exception {
        this.baseline = new RawRocksBaseline(dir, sync, bodyBytes);
    }

    @Override
    public Runner.Operation single(int worker) {
        return baseline.singleEvents();
    }

    @Override
    public Runner.Operation batch(int worker, int size) {
        return baseline.batches(size);
    }

    @Override
    public void close() {
        baseline.close();
    }
}
