package io.annals.core.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class TimesPropertiesTest {
    @Property(tries = 500)
    void microsRoundTrip(@ForAll @LongRange(min = -62_135_596_800_000_000L, max = 253_402_300_799_999_999L) long micros) {
        Instant t = Times.fromMicros(micros);
        assertThat(Times.toMicros(t)).isEqualTo(micros);
        assertThat(Times.parse(Times.format(t), "time")).isEqualTo(t);
    }

    @Property(tries = 1000)
    void formatIsTheRfc3339FormOfDateTimeFormatter(
            @ForAll @LongRange(min = -62_167_219_200_000_000L, max = 253_402_300_799_999_999L) long micros) {
        Instant t = Times.fromMicros(micros);
        assertThat(Times.format(t)).isEqualTo(java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC).format(t));
    }

    @Property(tries = 300)
    void microsOrderIsTimeOrder(@ForAll @LongRange(min = -62_135_596_800_000_000L, max = 253_402_300_799_999_999L) long a,
                                @ForAll @LongRange(min = -62_135_596_800_000_000L, max = 253_402_300_799_999_999L) long b) {
        assertThat(Integer.signum(Times.fromMicros(a).compareTo(Times.fromMicros(b)))).isEqualTo(Long.signum(Long.compare(a, b)));
    }
}
