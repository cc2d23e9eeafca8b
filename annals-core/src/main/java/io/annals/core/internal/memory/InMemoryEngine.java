package io.annals.core.internal.memory;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.Appended;
import io.annals.core.api.Checkpoints;
import io.annals.core.api.Cursor;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.Event;
import io.annals.core.api.EventOrdering;
import io.annals.core.api.EventPage;
import io.annals.core.api.KeyValues;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.LogPage;
import io.annals.core.api.Order;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreStats;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.TimeRange;
import io.annals.core.api.WrongExpectedVersionException;
import io.annals.core.spi.PendingEvent;
import io.annals.core.spi.StorageEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * A storage engine in memory: nothing survives {@link #close()}. The reference implementation of the contract,
 * simple rather than fast (one lock); used in tests and for trying annals out.
 */
public final class InMemoryEngine implements StorageEngine {
    private final Clock clock;
    private final Map<String, Event> byId = new HashMap<>();
    private final List<Event> log = new ArrayList<>();
    private final NavigableSet<Event> byTime = new TreeSet<>(EventOrdering.ASCENDING);
    private final Map<AggregateId, NavigableSet<Event>> byAggregate = new HashMap<>();
    private final Map<AggregateId, Long> heads = new HashMap<>();
    private final NavigableMap<String, Position> checkpoints = new TreeMap<>(InMemoryEngine::compareCodePoints);
    private final Map<String, NavigableMap<String, Stored>> keyValues = new HashMap<>();
    private boolean closed;

    public InMemoryEngine(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized CompletionStage<List<Appended>> write(List<PendingEvent> events, ExpectedVersion expected) {
        try {
            ensureOpen();
            return CompletableFuture.completedFuture(writeNow(events, expected));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private List<Appended> writeNow(List<PendingEvent> events, ExpectedVersion expected) {
        // dedupe first, then the version check: a retry of an append that was stored is answered as duplicates
        // even though its expected version is stale by now
        Appended[] results = new Appended[events.size()];
        boolean anyNew = false;
        for (int i = 0; i < events.size(); i++) {
            PendingEvent p = events.get(i);
            Event stored = p.clientId() ? live(byId.get(p.event().id())) : null;
            if (stored != null) {
                if (!stored.sameContentAs(p.event(), p.clientTime())) throw new DuplicateIdConflictException(stored.id());
                results[i] = new Appended(stored.id(), stored.position(), stored.streamVersion(), true);
            } else {
                anyNew = true;
            }
        }
        AggregateId stream = events.get(0).event().aggregate();
        if (anyNew && !(expected instanceof ExpectedVersion.Any)) {
            long actual = heads.getOrDefault(stream, 0L);
            if (!expected.matches(actual)) throw new WrongExpectedVersionException(stream, expected, actual);
        }
        Map<AggregateId, Long> newHeads = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (results[i] != null) continue;
            Event e = events.get(i).event();
            long version = 0;
            if (e.aggregate() != null) {
                version = newHeads.getOrDefault(e.aggregate(), heads.getOrDefault(e.aggregate(), 0L)) + 1;
                newHeads.put(e.aggregate(), version);
            }
            Event expired = byId.get(e.id());
            if (expired != null) forget(expired); // an expired event is gone: its id may be used again
            Event placed = e.at(Position.of(Long.toString(log.size() + 1)), version);
            log.add(placed);
            byId.put(placed.id(), placed);
            byTime.add(placed);
            if (placed.aggregate() != null)
                byAggregate.computeIfAbsent(placed.aggregate(), a -> new TreeSet<>(EventOrdering.ASCENDING)).add(placed);
            results[i] = new Appended(placed.id(), placed.position(), version, false);
        }
        heads.putAll(newHeads);
        return List.of(results);
    }

    /** Drops an expired event from the indexes (its log entry stays, and reads pass it over as expired). */
    private void forget(Event expired) {
        byId.remove(expired.id());
        byTime.remove(expired);
        if (expired.aggregate() != null) byAggregate.get(expired.aggregate()).remove(expired);
    }

    @Override
    public synchronized Optional<Event> get(String id) {
        ensureOpen();
        return Optional.ofNullable(live(byId.get(id)));
    }

    @Override
    public synchronized EventPage query(Query q) {
        ensureOpen();
        Predicate<Event> matches = e -> (q.type() == null || q.type().equals(e.type()))
                && (q.tag() == null || e.tags().contains(q.tag()));
        Page page = page(byTime, q.range(), q.order(), q.limit(), q.after() == null ? q.startOffset() : 0, q.after(), matches);
        return new EventPage(page.events, page.next);
    }

    @Override
    public synchronized AggregatePage readAggregate(AggregateQuery q) {
        ensureOpen();
        NavigableSet<Event> history = byAggregate.getOrDefault(q.aggregate(), new TreeSet<>(EventOrdering.ASCENDING));
        Page page = page(history, q.range(), q.order(), q.limit(), 0, q.after(), e -> true);
        return new AggregatePage(page.events, page.next, heads.getOrDefault(q.aggregate(), 0L));
    }

    private record Page(List<Event> events, Cursor next) {}

    private Page page(NavigableSet<Event> all, TimeRange range, Order order, int limit, int skip, Cursor after,
                      Predicate<Event> matches) {
        Collection<Event> ordered = order == Order.ASC ? all : all.descendingSet();
        List<Event> out = new ArrayList<>();
        for (Event e : ordered) {
            if (!range.contains(e.time()) || !matches.test(e) || live(e) == null) continue;
            if (after != null) {
                int c = EventOrdering.compare(e, after);
                if (order == Order.ASC ? c <= 0 : c >= 0) continue;
            }
            if (skip > 0) {
                skip--;
                continue;
            }
            if (out.size() == limit) return new Page(out, Cursor.after(out.get(out.size() - 1)));
            out.add(e);
        }
        return new Page(out, null);
    }

    @Override
    public synchronized long streamVersion(AggregateId aggregate) {
        ensureOpen();
        return heads.getOrDefault(aggregate, 0L);
    }

    @Override
    public synchronized LogPage readLog(Position after, int limit) {
        ensureOpen();
        int from = after.isStart() ? 0 : parse(after);
        List<Event> out = new ArrayList<>();
        Position next = after;
        for (int i = from; i < log.size() && out.size() < limit; i++) {
            Event e = log.get(i);
            next = e.position();
            if (live(e) != null) out.add(e);
        }
        return new LogPage(out, next);
    }

    @Override
    public synchronized Position logEnd() {
        ensureOpen();
        return log.isEmpty() ? Position.start() : log.get(log.size() - 1).position();
    }

    private static int parse(Position p) {
        try {
            int n = Integer.parseInt(p.value());
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + p.value() + "' is not a position of this store");
    }

    @Override
    public Checkpoints checkpoints() {
        return new Checkpoints() {
            @Override
            public Optional<Position> get(String name) {
                synchronized (InMemoryEngine.this) {
                    ensureOpen();
                    return Optional.ofNullable(checkpoints.get(name));
                }
            }

            @Override
            public void put(String name, Position position) {
                synchronized (InMemoryEngine.this) {
                    ensureOpen();
                    checkpoints.put(name, position);
                }
            }

            @Override
            public void delete(String name) {
                synchronized (InMemoryEngine.this) {
                    ensureOpen();
                    checkpoints.remove(name);
                }
            }

            @Override
            public Map<String, Position> list(String prefix) {
                synchronized (InMemoryEngine.this) {
                    ensureOpen();
                    Map<String, Position> out = new LinkedHashMap<>();
                    for (Map.Entry<String, Position> e : checkpoints.tailMap(prefix, true).entrySet()) {
                        if (!e.getKey().startsWith(prefix)) break;
                        out.put(e.getKey(), e.getValue());
                    }
                    return out;
                }
            }
        };
    }

    /** A value and the instant it expires ({@code null}: never). */
    private record Stored(byte[] value, Instant expires) {}

    @Override
    public KeyValues keyValues() {
        return new KeyValues() {
            @Override
            public Optional<byte[]> get(String space, String key) {
                synchronized (InMemoryEngine.this) {
                    ensureOpen();
                    return Optional.ofNullable(liveValue(space, key)).map(byte[]::clone);
                }
            }

            @Override
            public List<Entry> scan(String space, String after, int limit) {
                synchronized (InMemoryEngine.this) {
                    ensureOpen();
                    List<Entry> out = new ArrayList<>();
                    NavigableMap<String, Stored> entries = keyValues.getOrDefault(space, new TreeMap<>());
                    for (Map.Entry<String, Stored> e : entries.tailMap(after, false).entrySet()) {
                        if (out.size() == limit) break;
                        if (isLive(e.getValue())) out.add(new Entry(e.getKey(), e.getValue().value().clone()));
                    }
                    return out;
                }
            }

            @Override
            public void write(Batch batch) {
                synchronized (InMemoryEngine.this) {
                    ensureOpen();
                    for (Batch.Op op : batch.ops()) {
                        if (op.isDelete()) remove(op.space(), op.key());
                        else store(op.space(), op.key(), op.value(), op.ttl());
                    }
                }
            }

            @Override
            public boolean compareAndSet(String space, String key, byte[] expected, byte[] value, Duration ttl) {
                synchronized (InMemoryEngine.this) {
                    ensureOpen();
                    byte[] current = liveValue(space, key);
                    if (expected == null ? current != null : current == null || !Arrays.equals(current, expected))
                        return false;
                    if (value == null) remove(space, key);
                    else store(space, key, value, ttl);
                    return true;
                }
            }
        };
    }

    private byte[] liveValue(String space, String key) {
        Stored stored = keyValues.getOrDefault(space, new TreeMap<>()).get(key);
        return stored != null && isLive(stored) ? stored.value() : null;
    }

    private boolean isLive(Stored stored) {
        return stored.expires() == null || clock.instant().isBefore(stored.expires());
    }

    private void store(String space, String key, byte[] value, Duration ttl) {
        Instant expires = ttl == null ? null : clock.instant().plusSeconds(ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0));
        keyValues.computeIfAbsent(space, s -> new TreeMap<>(InMemoryEngine::compareCodePoints)).put(key, new Stored(value.clone(), expires));
    }

    private void remove(String space, String key) {
        NavigableMap<String, Stored> entries = keyValues.get(space);
        if (entries != null) entries.remove(key);
    }

    /** Code point order, which is the order of UTF-8 bytes (String's own order differs above U+FFFF). */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(i);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
        }
        return Integer.compare(a.length(), b.length());
    }

    @Override
    public synchronized StoreStats stats() {
        return new StoreStats(byId.size(), -1);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private Event live(Event e) {
        return e == null || e.isExpiredAt(clock.instant()) ? null : e;
    }

    private void ensureOpen() {
        if (closed) throw new StoreUnavailableException("the store is closed", null);
    }
}
