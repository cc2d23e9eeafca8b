package io.annals.core.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What an engine is opened with: its data directory (null for engines that have none), its options
 * (engine-specific keys without the {@code annals.store.<engine>.} prefix) and the clock used for TTL.
 */
public record EngineSettings(Path dataDir, Map<String, String> options, Clock clock) {
    public EngineSettings {
        options = Map.copyOf(options);
    }

    public static EngineSettings of(Path dataDir) {
        return new EngineSettings(dataDir, Map.of(), Clock.systemUTC());
    }

    public String option(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }
}
