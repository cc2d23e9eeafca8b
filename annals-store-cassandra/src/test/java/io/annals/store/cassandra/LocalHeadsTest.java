package io.annals.store.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.Appended;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.NewEvent;
import io.annals.core.api.WrongExpectedVersionException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * {@code stream-heads = local}: versions decided in the process without conditional writes stay gapless and
 * expected versions are still enforced among the threads of the process (the mode's promise; several processes
 * writing one aggregate need the default {@code lwt}). The heads survive a reopen.
 */
class LocalHeadsTest {
    private static final String KEYSPACE = TestCassandra.freshKeyspace("localheads");

    private static CassandraEngine open() {
        Map<String, String> options = TestCassandra.options(TestCassandra.contactPoint(), KEYSPACE);
        options.put("stream-heads", "local");
        options.put("log.settle-delay", "PT0S");
        return CassandraEngine.open(TestCassandra.settings(options, Clock.systemUTC()));
    }

    @Test
    void threadsOfOneProcessNumberOneStreamWithoutGapsOrRepeats() throws Exception {
        TestCassandra.truncate(KEYSPACE);
        AggregateId stream = AggregateId.of("local", "l1");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (EventStore store = EventStores.open(open())) {
            List<Callable<List<Long>>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                writers.add(() -> {
                    List<Long> versions = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        if (i % 4 == 0) {
                            long current = store.streamVersion(stream);
                            try {
                                versions.add(store.append(AppendRequest.of(NewEvent.ofType("checked").aggregate(stream).build())
                                        .expecting(ExpectedVersion.exactly(current))).events().get(0).streamVersion());
                            } catch (WrongExpectedVersionException e) {
                                assertThat(e.actual()).isGreaterThan(current);
                            }
                        } else {
                            store.append(NewEvent.ofType("any").aggregate(stream).build(), NewEvent.ofType("any").aggregate(stream).build())
                                    .events().stream().map(Appended::streamVersion).forEach(versions::add);
                        }
                    }
                    return versions;
                });
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : pool.invokeAll(writers)) all.addAll(f.get());
            assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, all.size()).boxed().toList());
            assertThat(store.streamVersion(stream)).isEqualTo(all.size());
        } finally {
            pool.shutdownNow();
        }
        try (EventStore reopened = EventStores.open(open())) {
            long before = reopened.streamVersion(stream);
            assertThat(reopened.append(NewEvent.ofType("after").aggregate(stream).build()).events().get(0).streamVersion())
                    .isEqualTo(before + 1);
        }
    }
}
