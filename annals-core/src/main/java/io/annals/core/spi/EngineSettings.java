package io.annals.core.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an engine is opened with: its data directory (null for engines that have none), its options
 * (engine-specific keys without the {@code annals.store.<engine>.} prefix) and the clock used for TTL.
 */
public record EngineSettings(Path dataDir, Map<String, String> options, Clock clock) {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    public EngineSettings {
        options = Map.copyOf(options);
    }

    public static EngineSettings of(Path dataDir) {
        return new EngineSettings(dataDir, Map.of(), Clock.systemUTC());
    }

    public String option(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }

    /**
     * A duration option, written the way the configuration file writes durations ({@code 500ms}, {@code 3s},
     * {@code 10m}, {@code 1h}, {@code 2d}) or in ISO-8601 ({@code PT3S}); never negative.
     *
     * @throws IllegalArgumentException naming the option and the accepted forms
     */
    public Duration duration(String key, String defaultValue) {
        String text = option(key, defaultValue).trim();
        Duration d = parseDuration(text);
        if (d == null)
            throw new IllegalArgumentException("option " + key + " must be a duration such as 500ms, 3s, 10m, 1h, 2d or"
                    + " PT1H, not '" + text + "'");
        if (d.isNegative()) throw new IllegalArgumentException("option " + key + " must not be negative: " + text);
        return d;
    }

    private static Duration parseDuration(String text) {
        Matcher m = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
