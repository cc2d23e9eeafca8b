package io.annals.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RawJsonTest {
    @Test
    void keepsTheJsonApartFromWhitespace() {
        assertThat(RawJson.parse(" { \"b\" : 1.10 ,\n \"a\" : [ 1E+2 , 0.0000001, 12345678901234567890.5 ] } ").json())
                .isEqualTo("{\"b\":1.10,\"a\":[1E+2,0.0000001,12345678901234567890.5]}");
        assertThat(RawJson.parse("\"caf\\u00e9\"")).isEqualTo(RawJson.parse("\"caf\u00e9\""));
    }

    @Test
    void equalityIsByCompactText() {
        assertThat(RawJson.parse("{\"a\":1}")).isEqualTo(RawJson.parse("{ \"a\": 1 }")).hasSameHashCodeAs(RawJson.parse("{\"a\":1}"));
        assertThat(RawJson.parse("{\"a\":1}")).isNotEqualTo(RawJson.parse("{\"a\":1.0}"));
        assertThat(RawJson.parse("{\"a\":1,\"b\":2}")).isNotEqualTo(RawJson.parse("{\"b\":2,\"a\":1}"));
        assertThat(RawJson.parse("null")).isEqualTo(RawJson.NULL);
        assertThat(RawJson.trusted("[1]")).hasToString("[1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"a\":}", "[1,]", "'single'", "{\"a\":1}{}", "NaN", "{\"a\":1,\"a\":2}"})
    void refusesWhatIsNotOneJsonValue(String text) {
        assertThatThrownBy(() -> RawJson.parse(text)).isInstanceOf(InvalidEventException.class).hasMessageContaining("payload");
    }
}
