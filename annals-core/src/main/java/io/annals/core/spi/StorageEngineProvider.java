package io.annals.core.spi;

/** Opens an engine by name ({@code rocksdb}, {@code memory}, ...); found with {@link java.util.ServiceLoader}. */
public interface StorageEngineProvider {
    String name();

    StorageEngine open(EngineSettings settings);
}
