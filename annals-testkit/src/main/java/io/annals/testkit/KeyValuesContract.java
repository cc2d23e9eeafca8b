package io.annals.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.KeyValues;
import io.annals.core.api.KeyValues.Batch;
import io.annals.core.api.KeyValues.Entry;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.spi.StorageEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link KeyValues}, the key-value store an engine keeps beside its events. Extend it in an engine's
 * tests with the hooks of {@link CheckpointsContract}: {@link #openEngine} (fresh and empty per test) and
 * {@link #reopenEngine} (the same data after a restart). Tests go through {@link EventStore#keyValues()}, so input is
 * validated by the facade; times to live follow the clock given to the engine.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class KeyValuesContract {
    private MutableClock clock;
    private EventStore store;

    /** Opens a fresh, empty engine. Called once before each test. */
    protected abstract StorageEngine openEngine(Clock clock);

    /** Opens again the data of the engine last opened (which the contract has closed), as after a restart. */
    protected abstract StorageEngine reopenEngine(Clock clock);

    @BeforeEach
    void openStore() {
        clock = MutableClock.at(ContractSupport.START);
        store = EventStores.open(openEngine(clock), clock);
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    private KeyValues kv() {
        return store.keyValues();
    }

    private void reopen() {
        store.close();
        store = null;
        store = EventStores.open(reopenEngine(clock), clock);
    }

    private static byte[] b(String text) {
        return text.getBytes(UTF_8);
    }

    private String value(String space, String key) {
        return kv().get(space, key).map(v -> new String(v, UTF_8)).orElse(null);
    }

    private List<String> keys(String space) {
        List<String> keys = new ArrayList<>();
        String after = "";
        while (true) {
            List<Entry> page = kv().scan(space, after, 2);
            assertThat(page.size()).isLessThanOrEqualTo(2);
            if (page.isEmpty()) return keys;
            for (Entry e : page) keys.add(e.key());
            after = page.get(page.size() - 1).key();
        }
    }

    @Test
    void aKeyNeverPutIsAbsent() {
        assertThat(kv().get("view", "nothing")).isEmpty();
        assertThat(kv().scan("view", "", 10)).isEmpty();
    }

    @Test
    void putGetOverwriteAndDelete() {
        kv().put("view", "a", b("1"));
        kv().put("view", "b", b("2"));
        kv().put("view", "a", b("3"));
        assertThat(value("view", "a")).isEqualTo("3");
        assertThat(value("view", "b")).isEqualTo("2");
        kv().delete("view", "a");
        kv().delete("view", "a");
        kv().delete("view", "never-there");
        assertThat(value("view", "a")).isNull();
        assertThat(kv().scan("view", "", 10)).containsExactly(new Entry("b", b("2")));
        kv().put("view", "a", b("4"));
        assertThat(value("view", "a")).isEqualTo("4");
    }

    @Test
    void spacesAreSeparate() {
        kv().put("a", "k", b("in a"));
        kv().put("ab", "k", b("in ab"));
        kv().put("a/b", "k", b("in a/b"));
        assertThat(value("a", "k")).isEqualTo("in a");
        assertThat(value("ab", "k")).isEqualTo("in ab");
        assertThat(kv().scan("a", "", 10)).containsExactly(new Entry("k", b("in a")));
        kv().delete("ab", "k");
        assertThat(value("a", "k")).isEqualTo("in a");
        assertThat(value("a/b", "k")).isEqualTo("in a/b");
    }

    @Test
    void valuesAreCopiedInAndOut() {
        byte[] v = b("original");
        kv().put("s", "k", v);
        v[0] = 'X';
        byte[] read = kv().get("s", "k").orElseThrow();
        read[0] = 'Y';
        assertThat(value("s", "k")).isEqualTo("original");
        kv().put("s", "empty", new byte[0]);
        assertThat(kv().get("s", "empty")).hasValueSatisfying(e -> assertThat(e).isEmpty());
    }

    @Test
    void scanIsInCodePointOrderAfterTheGivenKey() {
        List<String> keys = List.of("1", "0", "10", "\u00e9", "\uD83D\uDE00", "\uFFFD", "\u0000", "a", "A", "0/1");
        for (String k : keys) kv().put("s", k, b(k));
        List<String> sorted = List.of("\u0000", "0", "0/1", "1", "10", "A", "a", "\u00e9", "\uFFFD", "\uD83D\uDE00");
        assertThat(keys("s")).isEqualTo(sorted);
        assertThat(kv().scan("s", "", 3)).extracting(Entry::key).containsExactly("\u0000", "0", "0/1");
        assertThat(kv().scan("s", "0", 2)).extracting(Entry::key).containsExactly("0/1", "1");
        assertThat(kv().scan("s", "0.", 2)).as("after a key that is absent").extracting(Entry::key).containsExactly("0/1", "1");
        assertThat(kv().scan("s", "\uFFFD", 10)).extracting(Entry::key).containsExactly("\uD83D\uDE00");
        assertThat(kv().scan("s", "\uD83D\uDE00", 10)).isEmpty();
        assertThat(kv().scan("s", "", 10_000)).hasSize(keys.size());
        assertThat(kv().scan("s", "1", 1).get(0).value()).isEqualTo(b("10"));
    }

    @Test
    void aBatchAppliesEveryOperationInOrder() {
        kv().put("view", "gone", b("x"));
        kv().write(new Batch()
                .put("view", "a", b("1"))
                .put("checkpoints", "view", b("p1"))
                .put("view", "b", b("first"))
                .delete("view", "gone")
                .put("view", "b", b("second"))
                .put("view", "c", b("short-lived"))
                .delete("view", "c"));
        assertThat(keys("view")).containsExactly("a", "b");
        assertThat(value("view", "b")).isEqualTo("second");
        assertThat(value("checkpoints", "view")).isEqualTo("p1");
        kv().write(new Batch());
        assertThat(keys("view")).containsExactly("a", "b");
    }

    @Test
    void aRefusedBatchWritesNothing() {
        kv().put("s", "kept", b("1"));
        String tooLong = "k".repeat(KeyValues.MAX_NAME_LENGTH + 1);
        assertThatThrownBy(() -> kv().write(new Batch().put("s", "new", b("2")).delete("s", "kept").put("s", tooLong, b("3"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
        assertThatThrownBy(() -> kv().write(new Batch().put("s", "new", b("2")).put("s", "\uD83D", b("3"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> kv().write(new Batch().put("s", "new", b("2")).put("s", "x", new byte[KeyValues.MAX_VALUE_BYTES + 1])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kv().write(new Batch().put("s", "new", b("2")).put("s", "x", b("3"), Duration.ofMillis(500))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time to live");
        assertThatThrownBy(() -> kv().write(new Batch().put("", "new", b("2")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kv().scan("s", "", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kv().scan("s", "", 10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(keys("s")).containsExactly("kept");
    }

    @Test
    void largeValuesRoundTrip() {
        byte[] big = new byte[KeyValues.MAX_VALUE_BYTES];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + 7);
        kv().put("snapshots", "big", big);
        assertThat(Arrays.equals(kv().get("snapshots", "big").orElseThrow(), big)).isTrue();
    }

    @Test
    void anEntryWithATimeToLiveVanishesWhenItPasses() {
        kv().write(new Batch()
                .put("s", "short", b("1"), Duration.ofSeconds(10))
                .put("s", "forever", b("2"))
                .put("s", "long", b("3"), Duration.ofDays(30))
                .put("s", "rounded", b("4"), Duration.ofMillis(1500)));
        assertThat(keys("s")).containsExactly("forever", "long", "rounded", "short");
        clock.advance(Duration.ofMillis(1999));
        assertThat(value("s", "rounded")).as("a time to live is rounded up to whole seconds").isEqualTo("4");
        clock.advance(Duration.ofMillis(1));
        assertThat(value("s", "rounded")).isNull();
        clock.advance(Duration.ofSeconds(8).minusNanos(1000));
        assertThat(value("s", "short")).isEqualTo("1");
        clock.advance(Duration.ofNanos(1000));
        assertThat(value("s", "short")).isNull();
        assertThat(keys("s")).containsExactly("forever", "long");
        clock.advance(Duration.ofDays(30));
        assertThat(keys("s")).containsExactly("forever");
    }

    @Test
    void aPutWithoutTimeToLiveReplacesOneWithIt() {
        kv().write(new Batch().put("s", "k", b("1"), Duration.ofSeconds(10)));
        kv().put("s", "k", b("2"));
        clock.advance(Duration.ofMinutes(1));
        assertThat(value("s", "k")).isEqualTo("2");
    }

    @Test
    void compareAndSetWritesOnlyOverTheExpectedValue() {
        assertThat(kv().compareAndSet("leases", "p0", null, b("node-1"), null)).isTrue();
        assertThat(kv().compareAndSet("leases", "p0", null, b("node-2"), null)).as("taken").isFalse();
        assertThat(kv().compareAndSet("leases", "p0", b("node-2"), b("node-3"), null)).as("wrong expectation").isFalse();
        assertThat(value("leases", "p0")).isEqualTo("node-1");
        assertThat(kv().compareAndSet("leases", "p0", b("node-1"), b("node-2"), null)).isTrue();
        assertThat(value("leases", "p0")).isEqualTo("node-2");
        assertThat(kv().compareAndSet("leases", "p0", b("node-1"), null, null)).as("delete, wrong expectation").isFalse();
        assertThat(kv().compareAndSet("leases", "p0", b("node-2"), null, null)).as("delete").isTrue();
        assertThat(kv().get("leases", "p0")).isEmpty();
        assertThat(kv().compareAndSet("leases", "p0", b("node-2"), b("x"), null)).as("absent is not node-2").isFalse();
        assertThat(kv().get("leases", "p0")).isEmpty();
        assertThatThrownBy(() -> kv().compareAndSet("leases", "p0", null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anExpiredEntryIsAbsentForCompareAndSet() {
        assertThat(kv().compareAndSet("leases", "p0", null, b("node-1"), Duration.ofSeconds(10))).isTrue();
        clock.advance(Duration.ofSeconds(5));
        assertThat(kv().compareAndSet("leases", "p0", b("node-1"), b("node-1"), Duration.ofSeconds(10))).as("renewed").isTrue();
        clock.advance(Duration.ofSeconds(9));
        assertThat(kv().compareAndSet("leases", "p0", null, b("node-2"), Duration.ofSeconds(10))).as("still held").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(kv().compareAndSet("leases", "p0", b("node-1"), b("node-1"), Duration.ofSeconds(10))).as("lapsed").isFalse();
        assertThat(kv().compareAndSet("leases", "p0", null, b("node-2"), Duration.ofSeconds(10))).isTrue();
        assertThat(value("leases", "p0")).isEqualTo("node-2");
    }

    @Test
    void concurrentClaimsHaveOneWinnerAndCountersLoseNoIncrement() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                byte[] me = b("node-" + t);
                claims.add(pool.submit(() -> {
                    start.await();
                    return kv().compareAndSet("leases", "claimed", null, me, null);
                }));
            }
            int winners = 0;
            for (Future<Boolean> c : claims) if (c.get()) winners++;
            assertThat(winners).isEqualTo(1);

            int perThread = 10;
            List<Future<?>> increments = new ArrayList<>();
            for (int t = 0; t < threads; t++)
                increments.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        while (true) {
                            byte[] current = kv().get("counters", "n").orElse(null);
                            long n = current == null ? 0 : Long.parseLong(new String(current, UTF_8));
                            if (kv().compareAndSet("counters", "n", current, b(Long.toString(n + 1)), null)) break;
                        }
                    }
                    return null;
                }));
            for (Future<?> f : increments) f.get();
            assertThat(value("counters", "n")).isEqualTo(Integer.toString(threads * perThread));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void entriesSurviveARestart() {
        kv().write(new Batch().put("view", "a", b("1")).put("view", "b", b("2"), Duration.ofSeconds(10)));
        assertThat(kv().compareAndSet("leases", "p0", null, b("node-1"), null)).isTrue();
        reopen();
        assertThat(keys("view")).containsExactly("a", "b");
        assertThat(value("leases", "p0")).isEqualTo("node-1");
        clock.advance(Duration.ofSeconds(10));
        assertThat(keys("view")).containsExactly("a");
    }

    @Test
    void aClosedStoreRefusesEveryCall() {
        KeyValues kv = kv();
        store.close();
        assertThatThrownBy(() -> kv.get("s", "k")).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> kv.scan("s", "", 1)).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> kv.put("s", "k", b("1"))).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> kv.compareAndSet("s", "k", null, b("1"), null)).isInstanceOf(StoreUnavailableException.class);
        store = null;
    }
}
