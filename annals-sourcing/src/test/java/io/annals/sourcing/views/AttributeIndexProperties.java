package io.annals.sourcing.views;

import static io.annals.sourcing.api.At.at;
import static io.annals.sourcing.views.TestStores.awaitCaughtUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventStore;
import io.annals.sourcing.api.AttributeIndex;
import io.annals.sourcing.api.Sourcing;
import io.annals.sourcing.views.LampEvent.Installed;
import io.annals.sourcing.views.LampEvent.Rewired;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the arrival order, the index holds each lamp's value of its latest event by (time, id). */
class AttributeIndexProperties {
    static final Instant T = Instant.parse("2026-03-01T18:00:00Z");

    record Rewiring(String lamp, int watts, int second, String id) {}

    @Provide
    Arbitrary<List<Rewiring>> rewirings() {
        Arbitrary<Rewiring> one = Combinators.combine(Arbitraries.of("l1", "l2", "l3"), Arbitraries.of(40, 60, 100),
                Arbitraries.integers().between(0, 5), Arbitraries.strings().withChars("abc").ofLength(2))
                .as(Rewiring::new);
        return one.list().ofMinSize(1).ofMaxSize(25).uniqueElements(Rewiring::id);
    }

    @Property(tries = 30)
    void theLatestByEventTimeWinsWhateverTheArrivalOrder(@ForAll("rewirings") List<Rewiring> arrivals,
                                                         @ForAll boolean firstInstalled) {
        try (EventStore store = TestStores.open("memory", null)) {
            Sourcing sourcing = Sourcing.on(store, LampEvent.DOMAIN).build();
            for (Rewiring r : arrivals) {
                Object event = firstInstalled && r == arrivals.get(0) ? new Installed(r.watts, "r") : new Rewired(r.watts);
                sourcing.events().dispatchTo(r.lamp, event, at(T.plusSeconds(r.second)).id(r.id));
            }
            try (AttributeIndex index = AttributeIndex.of(sourcing, "lamps-by-watts", LampEvent.class)
                    .value(Installed.class, Installed::watts).value(Rewired.class, Rewired::watts)
                    .buckets(2).batchSize(3).start()) {
                awaitCaughtUp(store, index.view());
                Map<String, Rewiring> latest = new HashMap<>();
                for (Rewiring r : arrivals)
                    latest.merge(r.lamp, r, (a, b) -> LATEST.compare(a, b) >= 0 ? a : b);
                for (String lamp : List.of("l1", "l2", "l3"))
                    assertThat(index.valueOf(lamp)).isEqualTo(Optional.ofNullable(latest.get(lamp))
                            .map(r -> Integer.toString(r.watts)));
                for (int watts : List.of(40, 60, 100)) {
                    List<String> expected = new ArrayList<>();
                    latest.forEach((lamp, r) -> {
                        if (r.watts == watts) expected.add(lamp);
                    });
                    assertThat(AttributeIndexTest.all(index, watts, 2)).containsExactlyInAnyOrderElementsOf(expected);
                }
            }
        }
    }

    private static final Comparator<Rewiring> LATEST =
            Comparator.comparingInt(Rewiring::second).thenComparing(Rewiring::id);
}
