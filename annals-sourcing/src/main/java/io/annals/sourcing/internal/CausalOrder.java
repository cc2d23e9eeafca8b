package io.annals.sourcing.internal;

import io.annals.sourcing.api.Recorded;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reorders a time-ordered history by the causal hints: initial events first, terminal ones last. */
public final class CausalOrder {
    private CausalOrder() {}

    /** A stable sort by rank, so events of one rank keep their time order. */
    public static <E> List<Recorded<E>> apply(List<Recorded<E>> history, EventTypes types) {
        List<Recorded<E>> sorted = new ArrayList<>(history);
        sorted.sort(Comparator.comparingInt(r -> types.of(r.event().getClass()).rank()));
        return sorted;
    }
}
