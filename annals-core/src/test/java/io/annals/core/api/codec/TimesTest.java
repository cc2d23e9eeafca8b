package io.annals.core.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.InvalidEventException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimesTest {
    @ParameterizedTest
    @CsvSource({
            "2016-03-31T10:36:42.171234Z,        2016-03-31T10:36:42.171234Z",
            "2016-03-31T10:36:42Z,               2016-03-31T10:36:42.000000Z",
            "2016-03-31T10:36:42.1Z,             2016-03-31T10:36:42.100000Z",
            "2016-03-31T10:36:42.171234999Z,     2016-03-31T10:36:42.171234Z",
            "2016-03-31T12:36:42.171234+02:00,   2016-03-31T10:36:42.171234Z",
            "2016-03-31T00:30:00-05:30,          2016-03-31T06:00:00.000000Z",
            "2016-03-31T10:36:42.171234+00:00,   2016-03-31T10:36:42.171234Z",
            "2016-03-31t10:36:42z,               2016-03-31T10:36:42.000000Z",
            "1969-12-31T23:59:59.9999999Z,       1969-12-31T23:59:59.999999Z",
            "0001-01-01T00:00:00Z,               0001-01-01T00:00:00.000000Z",
            "9999-12-31T23:59:59.999999Z,        9999-12-31T23:59:59.999999Z",
            "2024-02-29T12:00:00Z,               2024-02-29T12:00:00.000000Z"})
    void parsesRfc3339AndWritesUtcWithSixDigits(String text, String canonical) {
        assertThat(Times.format(Times.parse(text, "time"))).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2016-03-31", "2016-03-31T10:36:42", "2016-03-31 10:36:42Z", "1459420602",
            "2016-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2016-03-31T25:00:00Z", "2016-03-31T10:36:42+2"})
    void refusesWhatIsNotAnRfc3339Time(String text) {
        assertThatThrownBy(() -> Times.parse(text, "start")).isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("start must be an RFC 3339 time such as 2016-03-31T10:36:42.171234Z");
    }

    @Test
    void microsecondsCountFromTheEpochBothWays() {
        assertThat(Times.toMicros(Instant.EPOCH)).isZero();
        assertThat(Times.toMicros(Instant.parse("1970-01-01T00:00:00.000001Z"))).isEqualTo(1);
        assertThat(Times.toMicros(Instant.parse("1969-12-31T23:59:59.999999Z"))).isEqualTo(-1);
        assertThat(Times.fromMicros(-1)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
        assertThat(Times.fromMicros(1_459_420_602_171_234L)).isEqualTo(Instant.parse("2016-03-31T10:36:42.171234Z"));
    }
}
