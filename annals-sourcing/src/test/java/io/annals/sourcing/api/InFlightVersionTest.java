package io.annals.sourcing.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregatePage;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A command never decides on a state that misses an event its stream version counts. Cassandra can report a version
 * whose event's rows are not written yet (an append with an expected version claims its number first); here a store
 * that hides the newest event of a history for a few reads plays that window.
 */
class InFlightVersionTest {
    @AggregateType("counter")
    sealed interface CounterEvent {
        record Incremented(int to) implements CounterEvent {}
    }

    private static final Fold<Integer, CounterEvent> COUNT = Fold.of(CounterEvent.class, 0)
            .on(CounterEvent.Incremented.class, (n, e) -> e.to());

    private final EventStore real = EventStores.open("memory", EngineSettings.of(null));
    private final AtomicInteger hideNewestFor = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        pool.shutdownNow();
        real.close();
    }

    /** The real store, except that readAggregate leaves out the newest event while {@link #hideNewestFor} counts down. */
    private EventStore lagging() {
        return (EventStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EventStore.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(real, args);
                        if (!method.getName().equals("readAggregate")) return result;
                        reads.incrementAndGet();
                        AggregatePage page = (AggregatePage) result;
                        if (hideNewestFor.getAndUpdate(n -> Math.max(0, n - 1)) == 0) return page;
                        Event newest = page.events().stream().max(Comparator.comparingLong(Event::streamVersion)).orElse(null);
                        List<Event> shown = page.events().stream().filter(e -> e != newest).toList();
                        return new AggregatePage(shown, page.next(), page.streamVersion());
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aCommandWaitsForTheEventsItsVersionCounts() {
        Sourcing sourcing = Sourcing.on(lagging(), Domain.builder().aggregate(CounterEvent.class).build()).build();
        Commands<Integer, CounterEvent> counters = sourcing.commands(COUNT).executor(pool).build();
        counters.execute("c1", n -> List.of(new CounterEvent.Incremented(n + 1)));

        hideNewestFor.set(3);
        reads.set(0);
        counters.execute("c1", n -> List.of(new CounterEvent.Incremented(n + 1)));

        assertThat(reads.get()).as("read again until the newest event showed").isEqualTo(4);
        assertThat(sourcing.state(COUNT, "c1")).isEqualTo(2);
        assertThat(real.streamVersion(io.annals.core.api.AggregateId.of("counter", "c1"))).isEqualTo(2);
    }

    @Test
    void aVersionWhoseEventNeverShowsIsTakenAsGoneAfterTheWait() {
        Sourcing sourcing = Sourcing.on(lagging(), Domain.builder().aggregate(CounterEvent.class).build()).build();
        Commands<Integer, CounterEvent> counters = sourcing.commands(COUNT).executor(pool).build();
        counters.execute("c1", n -> List.of(new CounterEvent.Incremented(n + 1)));

        hideNewestFor.set(Integer.MAX_VALUE);
        counters.execute("c1", n -> List.of(new CounterEvent.Incremented(10)));
        hideNewestFor.set(0);

        assertThat(sourcing.state(COUNT, "c1")).isEqualTo(10);
    }

    @Test
    void aGapWaitedOutOnceIsNotWaitedForAgain() {
        Sourcing sourcing = Sourcing.on(lagging(), Domain.builder().aggregate(CounterEvent.class).build()).build();
        Commands<Integer, CounterEvent> counters = sourcing.commands(COUNT).executor(pool).build();
        counters.execute("c1", n -> List.of(new CounterEvent.Incremented(n + 1)));
        counters.execute("c1", n -> List.of(new CounterEvent.Incremented(n + 1)));

        hideNewestFor.set(Integer.MAX_VALUE); // version 2's event never shows: its append died after claiming it
        reads.set(0);
        counters.execute("c1", n -> List.of()); // a command that decides nothing
        assertThat(reads.get()).as("the first command waits the gap out").isGreaterThan(1);

        reads.set(0);
        counters.execute("c1", n -> List.of());
        assertThat(reads.get()).as("the second one knows the gap").isEqualTo(1);

        hideNewestFor.set(0); // the event shows after all: the state has it
        assertThat(sourcing.state(COUNT, "c1")).isEqualTo(2);
    }
}
