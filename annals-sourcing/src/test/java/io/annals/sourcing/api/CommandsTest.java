package io.annals.sourcing.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.EventStore;
import io.annals.core.api.NewEvent;
import io.annals.core.api.WrongExpectedVersionException;
import io.annals.sourcing.fixtures.Engines;
import io.annals.sourcing.fixtures.Parcel;
import io.annals.sourcing.fixtures.ParcelEvent;
import io.annals.sourcing.fixtures.ParcelEvent.Delivered;
import io.annals.sourcing.fixtures.ParcelEvent.LoadedOntoTruck;
import io.annals.sourcing.fixtures.ParcelEvent.ReceivedAtDepot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandsTest {
    @AggregateType("counter")
    sealed interface CounterEvent {
        record Incremented(int to) implements CounterEvent {}
    }

    private static final Fold<Integer, CounterEvent> COUNT = Fold.of(CounterEvent.class, 0)
            .on(CounterEvent.Incremented.class, (n, e) -> e.to());

    /** Ticks one millisecond per reading, so that events of one aggregate never share a time. */
    private static final class TickingClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-03-01T00:00:00Z").toEpochMilli());
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis.incrementAndGet()); }
    }

    @TempDir
    Path dir;
    private EventStore store;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        if (store != null) store.close();
    }

    private Sourcing open(String engine) {
        store = Engines.open(engine, dir);
        return Sourcing.on(store, Domain.builder().aggregate(CounterEvent.class).aggregate(
                ParcelEvent.class).upcaster(Parcel.DELIVERED_V1_TO_V2).build())
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aCommandDecidesFromTheStateAndARefusalWritesNothing(String engine) {
        Sourcing sourcing = open(engine);
        // guide:commands
        Commands<Parcel, ParcelEvent> parcels =
                sourcing.commands(Parcel.FOLD).executor(pool).build();
        parcels.execute("p1", parcel -> List.of(new ReceivedAtDepot("Lewisham")));
        parcels.execute("p1", parcel -> {
            if (parcel.status() == Parcel.Status.DELIVERED)
                throw new IllegalStateException("parcel p1 is delivered already");
            return List.of(new LoadedOntoTruck("truck-7"));
        });
        // end
        parcels.execute("p1", parcel -> List.of(new Delivered("K. Smith")));
        assertThatThrownBy(() -> parcels.execute("p1", parcel -> {
            if (parcel.status() == Parcel.Status.DELIVERED) throw new IllegalStateException("delivered already");
            return List.of(new LoadedOntoTruck("truck-8"));
        })).isInstanceOf(IllegalStateException.class).hasMessage("delivered already");
        // a refused command does not hold up the next one
        assertThat(parcels.execute("p1", parcel -> List.of()).events()).isEmpty();
        assertThat(sourcing.state(Parcel.FOLD, "p1"))
                .isEqualTo(new Parcel(Parcel.Status.DELIVERED, "Lewisham", "truck-7", 0, "K. Smith"));
        assertThat(store.streamVersion(io.annals.core.api.AggregateId.of("parcel", "p1"))).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void commandsForOneAggregateRunOneAtATimeInTheOrderSent(String engine) throws Exception {
        Sourcing sourcing = open(engine);
        Commands<Integer, CounterEvent> counters = sourcing.commands(COUNT).executor(pool).clock(new TickingClock())
                .build();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 100; i++) {
            sent.add(counters.send("c1", n -> {
                seen.add(n);
                return List.of(new CounterEvent.Incremented(n + 1));
            }));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(seen).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).boxed().toList());
        assertThat(sourcing.state(COUNT, "c1")).isEqualTo(100);
        assertThat(counters.retries()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void concurrentSendersLoseNoUpdate(String engine) throws Exception {
        Sourcing sourcing = open(engine);
        Commands<Integer, CounterEvent> counters = sourcing.commands(COUNT).executor(pool).clock(new TickingClock())
                .build();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<CompletableFuture<?>> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            senders.submit(() -> {
                for (int i = 0; i < 50; i++)
                    sent.add(counters.send("c2", n -> List.of(new CounterEvent.Incremented(n + 1))));
            });
        }
        senders.shutdown();
        assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(sourcing.history(CounterEvent.class, "c2").list()).extracting(r -> ((CounterEvent.Incremented) r.event()).to())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 200).boxed().toList());
        assertThat(counters.retries()).as("commands of one aggregate never race each other").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void anAppendFromElsewhereMeanwhileMakesTheCommandDecideAgain(String engine) {
        Sourcing sourcing = open(engine);
        Commands<Integer, CounterEvent> counters = sourcing.commands(COUNT).executor(pool).clock(new TickingClock())
                .build();
        AtomicBoolean first = new AtomicBoolean(true);
        List<Integer> decidedOn = new ArrayList<>();
        counters.execute("c3", n -> {
            decidedOn.add(n);
            if (first.getAndSet(false)) // another node increments between our read and our append
                store.append(NewEvent.ofType("counter.incremented").aggregate("counter", "c3")
                        .time(Instant.parse("2026-01-01T00:00:00Z")).payload("{\"to\":41}").build());
            return List.of(new CounterEvent.Incremented(n + 1));
        });
        assertThat(decidedOn).containsExactly(0, 41);
        assertThat(sourcing.state(COUNT, "c3")).isEqualTo(42);
        assertThat(counters.retries()).isEqualTo(1);

        Commands<Integer, CounterEvent> impatient = sourcing.commands(COUNT).executor(pool).maxAttempts(1).build();
        assertThatThrownBy(() -> impatient.execute("c3", n -> {
            store.append(NewEvent.ofType("counter.incremented").aggregate("counter", "c3")
                    .time(Instant.parse("2026-01-01T00:00:00Z")).payload("{\"to\":0}").build());
            return List.of(new CounterEvent.Incremented(n + 1));
        })).isInstanceOf(WrongExpectedVersionException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void differentAggregatesRunInParallel(String engine) throws Exception {
        Sourcing sourcing = open(engine);
        Commands<Integer, CounterEvent> counters = sourcing.commands(COUNT).executor(pool).build();
        CountDownLatch otherDone = new CountDownLatch(1);
        AtomicBoolean sawOther = new AtomicBoolean();
        CompletableFuture<?> a = counters.send("a", n -> {
            // holds aggregate a until aggregate b's command has finished: a global queue would wait here in vain
            try {
                sawOther.set(otherDone.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(new CounterEvent.Incremented(1));
        });
        counters.send("b", n -> List.of(new CounterEvent.Incremented(1))).get(30, TimeUnit.SECONDS);
        otherDone.countDown();
        a.get(60, TimeUnit.SECONDS);
        assertThat(sawOther).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory"})
    void aDecisionForAnAggregateOutsideTheDomainIsRefusedAtOnce(String engine) {
        Sourcing sourcing = Sourcing.on(store = Engines.open(engine, dir), Parcel.DOMAIN).build();
        assertThatThrownBy(() -> sourcing.commands(COUNT)).hasMessageContaining("is not registered with this domain");
        assertThatThrownBy(() -> sourcing.commands(Parcel.FOLD).build()).hasMessageContaining("executor");
    }
}
