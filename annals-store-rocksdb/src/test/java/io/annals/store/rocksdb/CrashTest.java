package io.annals.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Appended;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.spi.EngineSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that appends under load (SIGKILL, no shutdown hook runs) and checks that after a restart every event
 * it acknowledged is there: by id, in its aggregate's history, in the type and tag indexes and in the log, and
 * that positions and stream versions go on from where they were.
 */
class CrashTest {
    private record Ack(String id, long position, String aggregate, long version) {}

    @TempDir
    Path dir;

    /** {@code sync=none} too: the WAL is written to the OS before the acknowledgement, and a killed process loses nothing. */
    @ParameterizedTest(name = "sync={0}")
    @ValueSource(strings = {"always", "none"})
    void everyAcknowledgedEventSurvivesSigkill(String sync) throws Exception {
        Path data = dir.resolve("data");
        Path stderr = dir.resolve("child.err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), data.toString(), "8", sync)
                .redirectError(stderr.toFile())
                .start();
        List<Ack> acks = new ArrayList<>();
        CountDownLatch firstAck = new CountDownLatch(1);
        Thread reader = new Thread(() -> readAcks(child, acks, firstAck));
        reader.start();
        try {
            long start = System.nanoTime();
            boolean started = firstAck.await(120, TimeUnit.SECONDS);
            System.out.printf("first acknowledgement after %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(started).as("the child acknowledged an append; its stderr: %s", read(stderr)).isTrue();
            Thread.sleep(2000); // let it append under load for a while, then pull the plug mid-write
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
            reader.join(60_000);
        }
        synchronized (acks) {
            assertThat(acks).as("acknowledged events; child stderr: %s", read(stderr)).hasSizeGreaterThan(10);
        }

        long reopened = System.nanoTime();
        try (EventStore store = EventStores.open("rocksdb", new EngineSettings(data, Map.of("index.bucket", "PT1S"),
                Clock.systemUTC()))) {
            checkEveryAckIsStored(store, acks);
        }
        System.out.printf("%d acknowledged events checked after the kill (%d ms to reopen and check)%n", acks.size(),
                (System.nanoTime() - reopened) / 1_000_000);
    }

    private static void readAcks(Process child, List<Ack> acks, CountDownLatch firstAck) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split(" ");
                // a line cut by the kill lacks its final "." and was never fully acknowledged to us
                if (f.length != 6 || !f[0].equals("ack") || !f[5].equals(".")) continue;
                synchronized (acks) {
                    acks.add(new Ack(f[1], Long.parseLong(f[2]), f[3], Long.parseLong(f[4])));
                }
                firstAck.countDown();
            }
        } catch (IOException e) {
            // the pipe closes when the child dies
        }
    }

    private static void checkEveryAckIsStored(EventStore store, List<Ack> acks) {
        for (Ack a : acks) {
            Event e = store.get(a.id).orElseThrow(() -> new AssertionError("acknowledged event " + a.id + " is missing"));
            assertThat(e.position()).isEqualTo(Position.of(Long.toString(a.position)));
            assertThat(e.aggregate()).isEqualTo(AggregateId.of("crash", a.aggregate));
            assertThat(e.streamVersion()).isEqualTo(a.version);
        }

        // the log holds every event once, in increasing positions, and the acknowledged ones among them
        List<Event> log = new ArrayList<>();
        Position from = Position.start();
        for (LogPage page; !(page = store.readLog(from, 1000)).events().isEmpty(); from = page.next()) log.addAll(page.events());
        List<Long> positions = log.stream().map(e -> Long.parseLong(e.position().value())).toList();
        for (int i = 1; i < positions.size(); i++)
            assertThat(positions.get(i)).as("log positions increase").isGreaterThan(positions.get(i - 1));
        Set<String> logged = new HashSet<>(log.stream().map(Event::id).toList());
        assertThat(missing(acks.stream().map(Ack::id).toList(), logged)).as("acknowledged but not in the log").isEmpty();
        assertThat(store.stats().approximateEvents()).isEqualTo(log.size());

        // each aggregate's history is its versions 1..n, exactly once, and holds its acknowledged events
        Map<String, Set<String>> byAggregate = new HashMap<>();
        for (Ack a : acks) byAggregate.computeIfAbsent(a.aggregate, k -> new HashSet<>()).add(a.id);
        for (int i = 0; i < CrashWriter.AGGREGATES; i++) {
            AggregateId aggregate = AggregateId.of("crash", "a" + i);
            AggregatePage history = store.readAggregate(AggregateQuery.of(aggregate).limit(10_000));
            long version = store.streamVersion(aggregate);
            Set<Long> versions = new HashSet<>(history.events().stream().map(Event::streamVersion).toList());
            assertThat(history.events()).hasSize((int) version);
            assertThat(versions).as("the versions of a%d are 1..%d, once each", i, version).hasSize((int) version)
                    .allMatch(v -> v >= 1 && v <= version);
            assertThat(history.events()).isSortedAccordingTo(io.annals.core.api.EventOrdering.ASCENDING);
            Set<String> acked = byAggregate.getOrDefault("a" + i, Set.of());
            assertThat(missing(acked, new HashSet<>(history.events().stream().map(Event::id).toList())))
                    .as("acknowledged but not in the history of a%d", i).isEmpty();
            assertThat(missing(acked, new HashSet<>(ids(store, Query.ofTag(CrashWriter.tagOf("a" + i)).limit(1000)))))
                    .as("acknowledged but not in the tag index").isEmpty();
        }
        List<String> byType = ids(store, Query.ofType(CrashWriter.TYPE).limit(1000));
        assertThat(byType).hasSize(logged.size());
        assertThat(new HashSet<>(byType)).isEqualTo(logged);
        List<String> byTypeDescending = ids(store, Query.ofType(CrashWriter.TYPE).descending().limit(1000));
        java.util.Collections.reverse(byTypeDescending);
        assertThat(byTypeDescending.equals(byType)).as("descending pages are the ascending ones reversed").isTrue();

        // writing goes on where it stopped
        long lastPosition = positions.get(positions.size() - 1);
        AggregateId a0 = AggregateId.of("crash", "a0");
        long head = store.streamVersion(a0);
        Appended next = store.append(NewEvent.ofType(CrashWriter.TYPE).aggregate(a0).build()).events().get(0);
        assertThat(Long.parseLong(next.position().value())).isEqualTo(lastPosition + 1);
        assertThat(next.streamVersion()).isEqualTo(head + 1);
    }

    private static List<String> ids(EventStore store, Query query) {
        List<String> out = new ArrayList<>();
        EventPage page = store.query(query);
        out.addAll(page.events().stream().map(Event::id).toList());
        while (page.hasMore()) {
            page = store.query(query.after(page.next()));
            out.addAll(page.events().stream().map(Event::id).toList());
        }
        return out;
    }

    private static List<String> missing(java.util.Collection<String> expected, Set<String> actual) {
        return expected.stream().filter(id -> !actual.contains(id)).toList();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
