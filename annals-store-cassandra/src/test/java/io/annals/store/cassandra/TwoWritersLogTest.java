package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.Appended;
import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two engines write one store with clocks 200 ms apart (one 100 ms fast, one 100 ms slow), so their log times
 * interleave out of real order, while a third engine tails the log. With a settle delay (300 ms) above the skew, the
 * tailing reader, continuing from each page's position, sees every acknowledged event exactly once.
 */
class TwoWritersLogTest {
    private static final String KEYSPACE = TestCassandra.freshKeyspace("twowriters");
    private static final Duration SKEW = Duration.ofMillis(100);

    private static CassandraEngine open(Clock logClock) {
        Map<String, String> options = TestCassandra.options(TestCassandra.contactPoint(), KEYSPACE);
        options.put("log.settle-delay", "PT0.3S");
        options.put("bucket.log", "PT1S"); // many log buckets in a few seconds
        return CassandraEngine.open(TestCassandra.settings(options, Clock.systemUTC()), logClock);
    }

    @Test
    void aTailingReaderNeverSkipsAnEventOfEitherWriter() throws Exception {
        TestCassandra.truncate(KEYSPACE);
        try (EventStore fast = EventStores.open(open(Clock.offset(Clock.systemUTC(), SKEW)));
             EventStore slow = EventStores.open(open(Clock.offset(Clock.systemUTC(), SKEW.negated())));
             EventStore reader = EventStores.open(open(Clock.systemUTC()))) {
            ConcurrentLinkedQueue<Appended> acknowledged = new ConcurrentLinkedQueue<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            for (EventStore store : List.of(fast, slow)) {
                String name = store == fast ? "fast" : "slow";
                Thread t = new Thread(() -> {
                    for (int i = 0; i < 150; i++) {
                        List<NewEvent> batch = new ArrayList<>();
                        for (int k = 0; k <= i % 3; k++)
                            batch.add(NewEvent.ofType("tick").id(name + "-" + i + "-" + k).aggregate("writer", name).build());
                        acknowledged.addAll(store.append(batch).events());
                    }
                }, name);
                writers.add(t);
                t.start();
            }
            List<Event> seen = Collections.synchronizedList(new ArrayList<>());
            Thread tail = new Thread(() -> {
                Position from = Position.start();
                long quietSince = 0;
                while (true) {
                    LogPage page = reader.readLog(from, 7);
                    seen.addAll(page.events());
                    from = page.next();
                    if (!page.events().isEmpty() || writing.get()) quietSince = System.nanoTime();
                    else if (System.nanoTime() - quietSince > Duration.ofSeconds(2).toNanos()) return;
                }
            }, "tail");
            tail.start();
            for (Thread t : writers) t.join();
            writing.set(false);
            tail.join();

            List<String> seenIds = seen.stream().map(Event::id).toList();
            Set<String> ackedIds = new HashSet<>(acknowledged.stream().map(Appended::id).toList());
            assertThat(new HashSet<>(seenIds)).as("no repeats").hasSize(seenIds.size());
            assertThat(new HashSet<>(seenIds)).isEqualTo(ackedIds);
            // the log is in the order of the log times the two skewed clocks gave: not the order of writing
            List<String> writersInLogOrder = seen.stream().map(e -> e.aggregate().id()).toList();
            int switches = 0;
            for (int i = 1; i < writersInLogOrder.size(); i++) if (!writersInLogOrder.get(i).equals(writersInLogOrder.get(i - 1))) switches++;
            assertThat(switches).as("entries of the two writers interleave in the log").isGreaterThan(10);
            for (String writer : List.of("fast", "slow")) {
                List<Long> versions = seen.stream().filter(e -> e.aggregate().id().equals(writer)).map(Event::streamVersion).toList();
                assertThat(versions).as("each stream in append order").isSorted().doesNotHaveDuplicates();
            }
            // a reader continuing from any position it was handed reads exactly the rest
            for (int i = 0; i < seen.size(); i += 37) {
                List<String> rest = new ArrayList<>();
                Position from = seen.get(i).position();
                for (LogPage p = reader.readLog(from, 50); !p.events().isEmpty(); p = reader.readLog(p.next(), 50))
                    p.events().forEach(e -> rest.add(e.id()));
                assertThat(rest).as("after %s", seen.get(i).position()).isEqualTo(seenIds.subList(i + 1, seenIds.size()));
            }
        }
    }
}
