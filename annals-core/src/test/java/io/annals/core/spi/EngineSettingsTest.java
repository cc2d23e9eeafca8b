package io.annals.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {
    private static Duration parse(String text) {
        return new EngineSettings(null, Map.of("d", text), Clock.systemUTC()).duration("d", "PT1S");
    }

    @Test
    void durationsInTheConfigurationFileFormAndInIso8601() {
        assertThat(parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(parse("3s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(parse("10 m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(parse("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(EngineSettings.of(null).duration("missing", "PT2S")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void badOrNegativeDurationsNameTheOption() {
        assertThatThrownBy(() -> parse("soon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option d").hasMessageContaining("3s");
        assertThatThrownBy(() -> parse("-PT1S")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }
}
