package io.annals.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.EventOrdering;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class Uuid7Test {
    private static final long MILLIS = 1_700_000_000_123L;

    @Test
    void isAVersion7RfcUuidCarryingTheMilliseconds() {
        UUID u = UUID.fromString(new Uuid7().nextId(MILLIS));
        assertThat(u.version()).isEqualTo(7);
        assertThat(u.variant()).isEqualTo(2);
        assertThat(u.getMostSignificantBits() >>> 16).isEqualTo(MILLIS);
        assertThat(u.toString()).hasSize(36).isLowerCase();
    }

    @Test
    void idsOfOneGeneratorIncreaseWithinAMillisecondAndPastTheSequence() {
        Uuid7 generator = new Uuid7();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) ids.add(generator.nextId(MILLIS));
        for (int i = 1; i < ids.size(); i++) {
            assertThat(EventOrdering.compareIds(ids.get(i - 1), ids.get(i))).as("id %d", i).isNegative();
            assertThat(ids.get(i - 1).compareTo(ids.get(i))).isNegative();
        }
        assertThat(UUID.fromString(ids.get(0)).getMostSignificantBits() >>> 16).isEqualTo(MILLIS);
        // 4,096 ids per millisecond; then the millisecond field moves on
        assertThat(UUID.fromString(ids.get(4096)).getMostSignificantBits() >>> 16).isEqualTo(MILLIS + 1);
        assertThat(ids.stream().allMatch(id -> UUID.fromString(id).version() == 7)).isTrue();
    }

    @Test
    void idsKeepIncreasingWhenTheClockGoesBack() {
        Uuid7 generator = new Uuid7();
        String first = generator.nextId(MILLIS);
        String second = generator.nextId(MILLIS - 60_000);
        assertThat(EventOrdering.compareIds(first, second)).isNegative();
        String later = generator.nextId(MILLIS + 5);
        assertThat(UUID.fromString(later).getMostSignificantBits() >>> 16).isEqualTo(MILLIS + 5);
    }

    @Test
    void generatorsAreIndependent() {
        Uuid7 a = new Uuid7();
        a.nextId(MILLIS + 1_000_000);
        assertThat(UUID.fromString(new Uuid7().nextId(MILLIS)).getMostSignificantBits() >>> 16).isEqualTo(MILLIS);
    }

    @Test
    void idsAreUniqueAcrossThreads() throws Exception {
        Uuid7 shared = new Uuid7();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> parts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                parts.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < 5_000; i++) mine.add(i % 2 == 0 ? shared.nextId(MILLIS) : Uuid7.next(MILLIS));
                    return mine;
                }));
            }
            int total = 0;
            for (Future<List<String>> part : parts) {
                List<String> mine = part.get();
                total += mine.size();
                seen.addAll(mine);
                List<String> fromShared = new ArrayList<>();
                for (int i = 0; i < mine.size(); i += 2) fromShared.add(mine.get(i));
                assertThat(fromShared).as("one thread's ids from one generator increase").isSorted();
            }
            assertThat(seen).hasSize(total);
        } finally {
            pool.shutdownNow();
        }
        assertThat(new HashSet<>(List.of(Uuid7.next(MILLIS), Uuid7.next(MILLIS)))).hasSize(2);
    }
}
