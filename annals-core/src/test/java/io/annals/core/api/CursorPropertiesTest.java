package io.annals.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CursorPropertiesTest {
    @Property(tries = 300)
    void anyCursorRoundTrips(@ForAll("times") Instant time, @ForAll String id) {
        Cursor c = new Cursor(time, id);
        assertThat(Cursor.decode(c.encode())).isEqualTo(c);
    }

    @Provide
    Arbitrary<Instant> times() {
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        return net.jqwik.api.Combinators.combine(Arbitraries.longs().between(min, max), Arbitraries.integers().between(0, 999_999))
                .as((s, micros) -> Instant.ofEpochSecond(s, micros * 1000L));
    }
}
