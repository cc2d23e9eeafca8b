package io.annals.core.internal;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.Checkpoints;
import io.annals.core.api.KeyValues;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.EventStore;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.LogFilter;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreStats;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import io.annals.core.spi.PendingEvent;
import io.annals.core.spi.StorageEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link EventStore} facade: validates, assigns ids and times, and delegates to a {@link StorageEngine}.
 * Subscriptions are pull loops over the engine's log ({@link LogSubscription}), woken by this store's appends and
 * otherwise polling every {@link #POLL_INTERVAL} (for events that other processes write, or that a settle delay
 * holds back).
 */
public final class DefaultEventStore implements EventStore {
    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_NAME_LENGTH = 256;
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final StorageEngine engine;
    private final Clock clock;
    private final Uuid7 idGenerator = new Uuid7();
    private final Set<LogSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public DefaultEventStore(StorageEngine engine, Clock clock) {
        this.engine = Objects.requireNonNull(engine);
        this.clock = Objects.requireNonNull(clock);
    }

    public StorageEngine engine() {
        return engine;
    }

    @Override
    public CompletionStage<AppendResult> appendAsync(AppendRequest request) {
        List<PendingEvent> pending;
        try {
            pending = prepare(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return engine.write(pending, request.expectedVersion()).thenApply(appended -> {
            // before the caller hears of it: an event whose append completed is read by every subscription
            if (!subscriptions.isEmpty()) for (LogSubscription s : subscriptions) s.wake();
            return new AppendResult(appended);
        });
    }

    @Override
    public AppendResult append(AppendRequest request) {
        List<Appended> appended = engine.writeAndWait(prepare(request), request.expectedVersion());
        if (!subscriptions.isEmpty()) for (LogSubscription s : subscriptions) s.wake();
        return new AppendResult(appended);
    }

    private List<PendingEvent> prepare(AppendRequest request) {
        List<NewEvent> events = request.events();
        if (events.isEmpty()) throw new InvalidEventException("an append needs at least one event");
        if (events.size() > AppendRequest.MAX_EVENTS)
            throw new InvalidEventException("an append holds at most " + AppendRequest.MAX_EVENTS + " events, not " + events.size());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long millis = now.toEpochMilli();
        boolean checked = !(request.expectedVersion() instanceof ExpectedVersion.Any);
        AggregateId stream = events.get(0).aggregate();
        Set<String> ids = new HashSet<>();
        List<PendingEvent> pending = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = events.get(i);
            String where = events.size() == 1 ? "" : "events[" + i + "]: ";
            validate(e, where);
            if (checked && (e.aggregate() == null || !e.aggregate().equals(stream)))
                throw new InvalidEventException(where + "an append with an expectedVersion must have all its events in one"
                        + " aggregate stream" + (stream == null ? "; the first event has no aggregate" : " (" + stream + ")"));
            String id = e.id() != null ? e.id() : idGenerator.nextId(millis);
            if (!ids.add(id)) throw new InvalidEventException(where + "id '" + id + "' appears twice in one append");
            Instant time = e.time() != null ? e.time().truncatedTo(ChronoUnit.MICROS) : now;
            Event event = new Event(id, e.type(), e.version(), e.source(), e.aggregate(), time, now, e.metadata(), e.tags(),
                    e.payload(), e.ttl(), null, 0);
            pending.add(new PendingEvent(event, e.id() != null, e.time() != null));
        }
        return pending;
    }

    private static void validate(NewEvent e, String where) {
        if (e.type() == null || e.type().isEmpty()) throw new InvalidEventException(where + "type is required");
        if (e.type().length() > MAX_NAME_LENGTH)
            throw new InvalidEventException(where + "type is longer than " + MAX_NAME_LENGTH + " characters");
        if (e.id() != null && (e.id().isEmpty() || e.id().length() > MAX_ID_LENGTH))
            throw new InvalidEventException(where + "id must be 1 to " + MAX_ID_LENGTH + " characters long");
        if (e.version() < 1) throw new InvalidEventException(where + "version must be >= 1, not " + e.version());
        if (e.source() != null && e.source().length() > MAX_NAME_LENGTH)
            throw new InvalidEventException(where + "source is longer than " + MAX_NAME_LENGTH + " characters");
        if (e.metadata().containsKey("tags"))
            throw new InvalidEventException(where + "metadata key 'tags' is reserved for the tag list; set tags with tag(...)");
        for (String tag : e.tags()) {
            if (tag == null || tag.isEmpty() || tag.length() > MAX_NAME_LENGTH)
                throw new InvalidEventException(where + "each tag must be 1 to " + MAX_NAME_LENGTH + " characters long");
        }
        if (e.ttl() != null && (e.ttl().isNegative() || e.ttl().isZero()))
            throw new InvalidEventException(where + "ttl must be positive");
        if (e.time() != null && (e.time().getEpochSecond() < -62135596800L || e.time().getEpochSecond() > 253402300799L))
            throw new InvalidEventException(where + "time must lie between the years 1 and 9999");
    }

    @Override
    public Optional<Event> get(String id) {
        return engine.get(Objects.requireNonNull(id, "id"));
    }

    @Override
    public EventPage query(Query query) {
        return engine.query(query);
    }

    @Override
    public AggregatePage readAggregate(AggregateQuery query) {
        return engine.readAggregate(query);
    }

    @Override
    public long streamVersion(AggregateId aggregate) {
        return engine.streamVersion(aggregate);
    }

    @Override
    public LogPage readLog(Position after, int limit) {
        if (limit < 1 || limit > 10_000) throw new IllegalArgumentException("limit must be between 1 and 10000, not " + limit);
        Objects.requireNonNull(after, "after");
        return engine.readLog(after.isEnd() ? engine.logEnd() : after, limit);
    }

    @Override
    public Subscription subscribe(Position from, LogFilter filter, SubscriptionListener listener) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(listener, "listener");
        if (closed) throw new StoreUnavailableException("the store is closed", null);
        Position start = from.isEnd() ? engine.logEnd() : from;
        engine.readLog(start, 1); // refuses a position the store never issued, here rather than on the thread
        LogSubscription s = new LogSubscription(engine, start, filter, listener, clock, POLL_INTERVAL, subscriptions::remove);
        subscriptions.add(s);
        s.start();
        if (closed) s.close(); // raced with close(), which may have missed it
        return s;
    }

    @Override
    public StoreStats stats() {
        return engine.stats();
    }

    @Override
    public Checkpoints checkpoints() {
        return new CheckedCheckpoints(engine.checkpoints());
    }

    @Override
    public KeyValues keyValues() {
        return new CheckedKeyValues(engine.keyValues());
    }

    @Override
    public void close() {
        closed = true;
        for (LogSubscription s : subscriptions) s.close();
        engine.close();
    }
}
