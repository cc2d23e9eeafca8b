package io.annals.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpectedVersionTest {
    @Test
    void textFormsRoundTrip() {
        for (ExpectedVersion v : new ExpectedVersion[] {ExpectedVersion.any(), ExpectedVersion.noStream(),
                ExpectedVersion.exactly(0), ExpectedVersion.exactly(42), ExpectedVersion.exactly(Long.MAX_VALUE)}) {
            assertThat(ExpectedVersion.parse(v.text())).isEqualTo(v);
        }
        assertThat(ExpectedVersion.any().text()).isEqualTo("any");
        assertThat(ExpectedVersion.noStream().text()).isEqualTo("noStream");
        assertThat(ExpectedVersion.exactly(7).text()).isEqualTo("7");
    }

    @Test
    void matchesSaysWhichStreamVersionsSatisfyIt() {
        assertThat(ExpectedVersion.any().matches(0)).isTrue();
        assertThat(ExpectedVersion.any().matches(99)).isTrue();
        assertThat(ExpectedVersion.noStream().matches(0)).isTrue();
        assertThat(ExpectedVersion.noStream().matches(1)).isFalse();
        assertThat(ExpectedVersion.exactly(3).matches(3)).isTrue();
        assertThat(ExpectedVersion.exactly(3).matches(2)).isFalse();
        assertThat(ExpectedVersion.exactly(3).matches(4)).isFalse();
        assertThat(ExpectedVersion.exactly(0).matches(0)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ANY", "nostream", "no-stream", "-1", "1.0", "one", " 1", "99999999999999999999"})
    void anythingElseIsRefused(String text) {
        assertThatThrownBy(() -> ExpectedVersion.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeVersionsCannotBeExpected() {
        assertThatThrownBy(() -> ExpectedVersion.exactly(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
    }
}
