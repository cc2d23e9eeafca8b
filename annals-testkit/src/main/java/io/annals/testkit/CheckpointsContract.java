package io.annals.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.Checkpoints;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.spi.StorageEngine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The contract of {@link Checkpoints}, the named positions an engine keeps. Extend it in an engine's tests with the
 * same hooks as {@link EventStoreContract}: {@link #openEngine} (a fresh, empty engine per test), {@link #reopenEngine}
 * (the same data after a restart) and {@link #awaitLogSettled} (for engines that read their log behind a settle
 * delay). Tests go through {@link EventStore#checkpoints()}, so names are validated by the facade.
 * <p>
 * Name order is the order of code points (which is the order of the names' UTF-8 bytes), not {@link String}'s
 * UTF-16 order: the two differ for characters outside the Basic Multilingual Plane.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class CheckpointsContract {
    private MutableClock clock;
    private EventStore store;

    /** Opens a fresh, empty engine. Called once before each test. */
    protected abstract StorageEngine openEngine(Clock clock);

    /** Opens again the data of the engine last opened (which the contract has closed), as after a restart. */
    protected abstract StorageEngine reopenEngine(Clock clock);

    /** Returns once the events appended so far can be read from the global log (see {@link EventStoreContract}). */
    protected void awaitLogSettled() {}

    @BeforeEach
    void openStore() {
        clock = MutableClock.at(ContractSupport.START);
        store = EventStores.open(openEngine(clock), clock);
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    private Checkpoints checkpoints() {
        return store.checkpoints();
    }

    private void reopen() {
        store.close();
        store = null;
        store = EventStores.open(reopenEngine(clock), clock);
    }

    private static Position p(String value) {
        return Position.of(value);
    }

    @Test
    void aNameNeverPutIsAbsent() {
        assertThat(checkpoints().get("nothing")).isEmpty();
        assertThat(checkpoints().list("")).isEmpty();
    }

    @Test
    void putThenGetReturnsThePosition() {
        checkpoints().put("relay", Position.start());
        checkpoints().put("subscription/orders/0", p("42"));
        assertThat(checkpoints().get("relay")).contains(Position.start());
        assertThat(checkpoints().get("subscription/orders/0")).contains(p("42"));
        assertThat(checkpoints().get("subscription/orders/1")).isEmpty();
    }

    @Test
    void theLastPutOfANameWins() {
        checkpoints().put("relay", p("1"));
        checkpoints().put("relay", p("7"));
        checkpoints().put("relay", p("3"));
        assertThat(checkpoints().get("relay")).contains(p("3"));
        assertThat(checkpoints().list("")).containsExactly(Map.entry("relay", p("3")));
    }

    @Test
    void deleteRemovesOnlyThatName() {
        checkpoints().put("a", p("1"));
        checkpoints().put("ab", p("2"));
        checkpoints().delete("a");
        checkpoints().delete("a");
        checkpoints().delete("never-there");
        assertThat(checkpoints().get("a")).isEmpty();
        assertThat(checkpoints().list("")).containsExactly(Map.entry("ab", p("2")));
        checkpoints().put("a", p("3"));
        assertThat(checkpoints().get("a")).contains(p("3"));
    }

    @Test
    void listReturnsTheNamesUnderAPrefixInNameOrder() {
        List<String> names = List.of("sub/x/1", "sub/x/0", "sub/x/10", "sub/x", "sub/x0", "sub/y/0", "sub/w/0",
                "sub/x/\u00e9", "sub/x/\uD83D\uDE00", "sub/x/\uFFFD", "sub/x/\u0000", "sux", "a", "z");
        for (int i = 0; i < names.size(); i++) checkpoints().put(names.get(i), p(Integer.toString(i + 1)));

        Map<String, Position> underX = checkpoints().list("sub/x/");
        // code point order: U+FFFD comes before U+1F600, whose UTF-16 form (a surrogate pair) sorts before it in String order
        assertThat(underX.keySet()).containsExactly("sub/x/\u0000", "sub/x/0", "sub/x/1", "sub/x/10", "sub/x/\u00e9",
                "sub/x/\uFFFD", "sub/x/\uD83D\uDE00");
        assertThat(underX.get("sub/x/0")).isEqualTo(p("2"));
        assertThat(checkpoints().list("sub/").keySet()).containsExactly("sub/w/0", "sub/x", "sub/x/\u0000", "sub/x/0",
                "sub/x/1", "sub/x/10", "sub/x/\u00e9", "sub/x/\uFFFD", "sub/x/\uD83D\uDE00", "sub/x0", "sub/y/0");
        assertThat(checkpoints().list("").keySet()).hasSize(names.size()).startsWith("a").endsWith("z");
        assertThatThrownBy(() -> checkpoints().list("sub/x/\uD83D")).as("half a surrogate pair")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(checkpoints().list("sub/x/\uD83D\uDE00").keySet()).containsExactly("sub/x/\uD83D\uDE00");
        assertThat(checkpoints().list("sub/q")).isEmpty();
        assertThat(checkpoints().list("zz")).isEmpty();
    }

    @Test
    void listAPrefixWithTheHighestCharacters() {
        checkpoints().put("\uFFFF", p("1"));
        checkpoints().put("\uFFFF\uFFFF", p("2"));
        checkpoints().put("\uDBFF\uDFFF", p("3"));
        checkpoints().put("\uDBFF\uDFFFx", p("4"));
        assertThat(checkpoints().list("\uFFFF").keySet()).containsExactly("\uFFFF", "\uFFFF\uFFFF");
        assertThat(checkpoints().list("\uDBFF\uDFFF").keySet()).containsExactly("\uDBFF\uDFFF", "\uDBFF\uDFFFx");
    }

    @Test
    void namesMustBe1To256Characters() {
        String longest = "n".repeat(256);
        checkpoints().put(longest, p("1"));
        assertThat(checkpoints().get(longest)).contains(p("1"));
        for (String bad : new String[] {"", "n".repeat(257)}) {
            assertThatThrownBy(() -> checkpoints().put(bad, p("1"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("256");
            assertThatThrownBy(() -> checkpoints().get(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> checkpoints().delete(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> checkpoints().put("half a pair \uD83D", p("1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> checkpoints().put(null, p("1"))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> checkpoints().put("x", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> checkpoints().list(null)).isInstanceOf(NullPointerException.class);
        assertThat(checkpoints().list("")).containsOnlyKeys(longest);
    }

    @Test
    void checkpointsSurviveAReopen() {
        checkpoints().put("relay", p("5"));
        checkpoints().put("subscription/s/0", p("9"));
        checkpoints().put("subscription/s/1", Position.start());
        checkpoints().put("gone", p("1"));
        checkpoints().delete("gone");
        checkpoints().put("relay", p("6"));
        Map<String, Position> before = checkpoints().list("");

        reopen();

        assertThat(checkpoints().list("")).isEqualTo(before).containsOnlyKeys("relay", "subscription/s/0", "subscription/s/1");
        assertThat(checkpoints().get("relay")).contains(p("6"));
        assertThat(checkpoints().get("gone")).isEmpty();
        checkpoints().put("relay", p("7"));
        reopen();
        assertThat(checkpoints().get("relay")).contains(p("7"));
    }

    @Test
    void positionsOfTheLogRoundTripThroughACheckpoint() {
        for (int i = 0; i < 10; i++) store.append(NewEvent.ofType("cp").id("e" + i).aggregate("acc", "a" + (i % 3)).build());
        awaitLogSettled();
        LogPage first = store.readLog(Position.start(), 4);
        assertThat(first.events()).hasSize(4);
        checkpoints().put("reader", first.next());
        checkpoints().put("reader/each", first.events().get(1).position());

        reopen();
        store.append(NewEvent.ofType("cp").id("e10").build());
        awaitLogSettled();

        Position resumed = checkpoints().get("reader").orElseThrow();
        assertThat(resumed).isEqualTo(first.next());
        assertThat(idsAfter(resumed)).containsExactly("e4", "e5", "e6", "e7", "e8", "e9", "e10");
        assertThat(idsAfter(checkpoints().get("reader/each").orElseThrow())).hasSize(9).startsWith("e2", "e3");
    }

    private List<String> idsAfter(Position after) {
        List<String> ids = new ArrayList<>();
        Position from = after;
        while (true) {
            LogPage page = store.readLog(from, 3);
            for (Event e : page.events()) ids.add(e.id());
            if (page.next().equals(from)) return ids;
            from = page.next();
        }
    }

    @Test
    void checkpointsAndEventsDoNotMix() {
        checkpoints().put("e1", p("1"));
        store.append(NewEvent.ofType("cp").id("e1").build());
        awaitLogSettled();
        assertThat(store.readLog(Position.start(), 10).events()).extracting(Event::id).containsExactly("e1");
        assertThat(checkpoints().list("")).containsExactly(Map.entry("e1", p("1")));
        assertThat(store.get("e1")).isPresent();
    }

    @Test
    void concurrentPutsFromManyThreadsAreAllKept() throws Exception {
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 1; i <= perThread; i++) {
                        checkpoints().put("own/" + thread, p(Integer.toString(i)));
                        checkpoints().put("each/" + thread + "/" + i, p(Integer.toString(i)));
                        checkpoints().put("shared", p(thread + "-" + i));
                    }
                    checkpoints().put("shared", p(thread + "-last"));
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        Map<String, Position> expectedOwn = new LinkedHashMap<>();
        for (int t = 0; t < threads; t++) expectedOwn.put("own/" + t, p(Integer.toString(perThread)));
        assertThat(checkpoints().list("own/")).containsExactlyEntriesOf(expectedOwn);
        assertThat(checkpoints().list("each/")).hasSize(threads * perThread);
        assertThat(checkpoints().get("shared").orElseThrow().value()).endsWith("-last");
        reopen();
        assertThat(checkpoints().list("own/")).containsExactlyEntriesOf(expectedOwn);
        assertThat(checkpoints().list("each/")).hasSize(threads * perThread);
    }

    @Test
    void aClosedStoreRefusesCheckpointCalls() {
        checkpoints().put("relay", p("1"));
        Checkpoints closed = checkpoints();
        store.close();
        for (Runnable call : List.<Runnable>of(() -> closed.get("relay"), () -> closed.put("relay", p("2")),
                () -> closed.delete("relay"), () -> closed.list(""))) {
            assertThatThrownBy(call::run).isInstanceOf(StoreUnavailableException.class);
        }
    }
}
