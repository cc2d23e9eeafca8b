package io.annals.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class EventOrderingPropertiesTest {
    private static final Instant T = Instant.parse("2016-03-31T10:36:42.171234Z");

    private static Event at(Instant time, String id) {
        return new Event(id, "t", 1, null, null, time, T, null, null, null, null, null, 0);
    }

    @Property(tries = 500)
    void idOrderIsTheUnsignedOrderOfUtf8Bytes(@ForAll String a, @ForAll String b) {
        int expected = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        assertThat(Integer.signum(EventOrdering.compareIds(a, b))).isEqualTo(Integer.signum(expected));
        assertThat(Integer.signum(EventOrdering.compareIds(b, a))).isEqualTo(-Integer.signum(expected));
    }

    @Property(tries = 300)
    void eventAndCursorComparisonsAgree(@ForAll String idA, @ForAll String idB, @ForAll boolean sameTime) {
        Event a = at(T, idA);
        Event b = at(sameTime ? T : T.plusSeconds(1), idB);
        assertThat(Integer.signum(EventOrdering.compare(a, Cursor.after(b))))
                .isEqualTo(Integer.signum(EventOrdering.compare(a, b)));
    }
}
