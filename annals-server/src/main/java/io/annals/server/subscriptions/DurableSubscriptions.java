package io.annals.server.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.core.api.AnnalsException;
import io.annals.core.api.Checkpoints;
import io.annals.core.api.EventStore;
import io.annals.core.api.KeyValues;
import io.annals.core.api.Position;
import io.annals.core.api.codec.Json;
import io.annals.server.subscriptions.SubscriptionException.Reason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named durable subscriptions over an {@link EventStore}: consumers of one name share its partitions (so each
 * aggregate's events go to one consumer, in append order), acknowledge what they have handled, and a consumer that
 * joins after a restart or a rebalance resumes after the acknowledged checkpoint of each partition: delivery is at
 * least once. The spec and the checkpoints are kept in the store's {@link Checkpoints}
 * ({@code subscription/<name>} holds the spec as JSON, {@code subscription/<name>/<partition>} each checkpoint).
 * Membership and partition leases are kept in the store's {@link KeyValues} with a time to live, so several servers
 * sharing one store (Cassandra) share a subscription's partitions between all their consumers (see {@link Group});
 * on a store without key-values they live in this object, and consumers of one name must use the same process.
 * <pre>{@code
 * DurableSubscriptions subs = new DurableSubscriptions(store, DurableSubscriptions.Options.defaults());
 * subs.create("billing", SubscriptionSpec.fromStart().filter(LogFilter.all().types("order.placed")));
 * DurableConsumer c = subs.join("billing", "worker-1", (consumer, partition, event) -> {
 *     handle(event);
 *     consumer.ack(partition, event.position());
 * });
 * }</pre>
 * Thread-safe. {@link #close()} ends every consumer (it does not close the store).
 */
public final class DurableSubscriptions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DurableSubscriptions.class);
    static final String PREFIX = "subscription/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    /**
     * @param maxInFlight        events a partition may have delivered and unacknowledged before its reader waits
     * @param sessionTimeout     a consumer that leaves pending events unacknowledged this long is removed
     * @param checkpointInterval how often, at most, a partition with nothing pending moves its checkpoint past
     *                           events it passed over (other partitions' or filtered out), so a restart skips them
     * @param leaseTtl           how long a server's consumers and partition leases stay in the store after it last
     *                           renewed them (every third of it): when a server stops or loses the store, the others
     *                           take over its partitions after this. At least a second
     */
    public record Options(int maxInFlight, Duration sessionTimeout, Duration checkpointInterval, Duration leaseTtl) {
        public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);

        public Options {
            if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
            if (sessionTimeout.isNegative() || sessionTimeout.isZero())
                throw new IllegalArgumentException("sessionTimeout must be positive, not " + sessionTimeout);
            if (checkpointInterval.isNegative())
                throw new IllegalArgumentException("checkpointInterval must not be negative, not " + checkpointInterval);
            if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0)
                throw new IllegalArgumentException("leaseTtl must be at least 1 s, not " + leaseTtl);
        }

        /** With the default lease time to live, {@link #DEFAULT_LEASE_TTL}. */
        public Options(int maxInFlight, Duration sessionTimeout, Duration checkpointInterval) {
            this(maxInFlight, sessionTimeout, checkpointInterval, DEFAULT_LEASE_TTL);
        }

        /** 1,000 in flight per partition, a 30 s session timeout, idle checkpoints moved at most every second, 10 s leases. */
        public static Options defaults() {
            return new Options(1000, Duration.ofSeconds(30), Duration.ofSeconds(1));
        }

        public Options leaseTtl(Duration ttl) {
            return new Options(maxInFlight, sessionTimeout, checkpointInterval, ttl);
        }
    }

    private final EventStore store;
    private final KeyValues keyValues;
    private final byte[] serverId = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    private final Options options;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private volatile MeterRegistry registry;
    private boolean closed;

    /** @throws UnsupportedOperationException when {@code store} keeps no checkpoints */
    public DurableSubscriptions(EventStore store, Options options) {
        this(store, keyValuesOf(store), options);
    }

    /** Over {@code keyValues} for membership and leases (tests cut a server off from it). */
    DurableSubscriptions(EventStore store, KeyValues keyValues, Options options) {
        this.store = Objects.requireNonNull(store, "store");
        this.keyValues = Objects.requireNonNull(keyValues, "keyValues");
        this.options = Objects.requireNonNull(options, "options");
        store.checkpoints();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "annals-durable-subscriptions");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, Math.min(1000, options.sessionTimeout().toMillis() / 4));
        timer.scheduleWithFixedDelay(this::expireSessions, every, every, TimeUnit.MILLISECONDS);
        long renew = options.leaseTtl().toMillis() / 3;
        timer.scheduleWithFixedDelay(this::sync, renew, renew, TimeUnit.MILLISECONDS);
    }

    private static KeyValues keyValuesOf(EventStore store) {
        try {
            return store.keyValues();
        } catch (UnsupportedOperationException e) {
            LOG.info("durable subscriptions: the store keeps no key-values, so consumers of a subscription must all use this server");
            return new LocalKeyValues();
        }
    }

    EventStore store() {
        return store;
    }

    KeyValues keyValues() {
        return keyValues;
    }

    /** This server's id in the store's membership entries and leases: random, new at each start. */
    byte[] serverId() {
        return serverId.clone();
    }

    Options options() {
        return options;
    }

    void later(Runnable task) {
        try {
            timer.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("a durable subscription task failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("durable subscriptions are closing; a task was dropped");
        }
    }

    /**
     * Creates the subscription: each partition's checkpoint starts at {@code spec.from()} ({@link Position#end()} is
     * resolved to the head of the log now). Creating it again with the same spec does nothing.
     *
     * @return true when created, false when it existed with this spec
     * @throws SubscriptionException EXISTS when it exists with another spec (delete it first)
     * @throws IllegalArgumentException for a bad name or a position the store never issued
     */
    public synchronized boolean create(String name, SubscriptionSpec spec) {
        checkName(name, "a subscription name");
        Objects.requireNonNull(spec, "spec");
        ensureOpen();
        Optional<SubscriptionSpec> existing = spec(name);
        if (existing.isPresent()) {
            if (existing.get().equals(spec)) return false;
            throw new SubscriptionException(Reason.EXISTS, "subscription '" + name + "' exists with another spec ("
                    + existing.get().toJson() + "); delete it first to change its partitions, start or filter");
        }
        // end is resolved to the head now; any other position is checked here (one the store never issued fails)
        Position start = spec.from();
        Position next = store.readLog(start, 1).next();
        if (start.isEnd()) start = next;
        Checkpoints checkpoints = store.checkpoints();
        for (int p = 0; p < spec.partitions(); p++) checkpoints.put(Group.checkpointName(name, p), start);
        checkpoints.put(PREFIX + name, Position.of(spec.toJson().toString())); // last: its presence means created
        Group group = new Group(this, name, spec);
        groups.put(name, group);
        register(group);
        return true;
    }

    /** The spec of subscription {@code name}, if it exists. */
    public Optional<SubscriptionSpec> spec(String name) {
        checkName(name, "a subscription name");
        return store.checkpoints().get(PREFIX + name).map(DurableSubscriptions::parseSpec);
    }

    private static SubscriptionSpec parseSpec(Position stored) {
        JsonNode json = Json.parse(Json.mapper(), stored.value().getBytes(StandardCharsets.UTF_8));
        return SubscriptionSpec.fromJson(json);
    }

    /** The names of every subscription, in name order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (String key : store.checkpoints().list(PREFIX).keySet()) {
            String rest = key.substring(PREFIX.length());
            if (rest.indexOf('/') < 0) names.add(rest);
        }
        return names;
    }

    /** @throws SubscriptionException NOT_FOUND */
    public SubscriptionStatus status(String name) {
        return group(name).status();
    }

    /**
     * Deletes the subscription: its consumers are ended and its spec and checkpoints removed.
     * @return false when there was none
     */
    public boolean delete(String name) {
        checkName(name, "a subscription name");
        Group group;
        synchronized (this) {
            if (spec(name).isEmpty()) return false;
            store.checkpoints().delete(PREFIX + name); // first: a half-done delete leaves no subscription behind
            group = groups.remove(name);
            unregister(name);
        }
        // outside the lock: ending waits for listener calls in progress, which may use this object
        if (group != null) group.end("subscription '" + name + "' was deleted");
        synchronized (this) {
            if (spec(name).isPresent()) return true; // created again meanwhile, with fresh checkpoints
            Checkpoints checkpoints = store.checkpoints();
            for (String key : checkpoints.list(PREFIX + name + "/").keySet()) checkpoints.delete(key);
        }
        return true;
    }

    /**
     * Joins consumer {@code consumerId} to subscription {@code name}: the partitions are rebalanced over the
     * consumers and this one's events start to arrive at {@code listener}. A consumer that joins again with the same
     * id replaces its previous membership (a reconnect).
     *
     * @throws SubscriptionException NOT_FOUND
     * @throws IllegalArgumentException for a bad consumer id
     */
    public DurableConsumer join(String name, String consumerId, DurableListener listener) {
        checkName(consumerId, "a consumer id");
        Objects.requireNonNull(listener, "listener");
        return group(name).join(consumerId, listener);
    }

    /** The consumer {@code consumerId} of subscription {@code name}, if it is connected. */
    public Optional<DurableConsumer> consumer(String name, String consumerId) {
        checkName(consumerId, "a consumer id");
        return Optional.ofNullable(group(name).member(consumerId));
    }

    private synchronized Group group(String name) {
        checkName(name, "a subscription name");
        ensureOpen();
        Group group = groups.get(name);
        if (group != null) return group;
        SubscriptionSpec spec = spec(name).orElseThrow(() -> new SubscriptionException(Reason.NOT_FOUND,
                "no subscription named '" + name + "'; create it with PUT /api/subscriptions/" + name));
        group = new Group(this, name, spec);
        groups.put(name, group);
        register(group);
        return group;
    }

    /**
     * Publishes per-subscription meters to {@code meterRegistry}, tagged {@code subscription}:
     * {@code annals.durable.subscription.lag} (seconds, the largest partition lag),
     * {@code annals.durable.subscription.pending}, {@code annals.durable.subscription.consumers}, and the counters
     * {@code annals.durable.subscription.delivered} (its rate is the delivery rate) and
     * {@code annals.durable.subscription.acknowledged}. Every existing subscription is loaded.
     */
    public void bindTo(MeterRegistry meterRegistry) {
        registry = meterRegistry;
        List<String> names;
        try {
            names = names();
        } catch (AnnalsException e) {
            if (!e.isTransient()) throw e;
            // the store is not reachable yet (Cassandra starting or down): the server starts anyway, and each
            // subscription's meters appear when it is first used
            LOG.warn("durable subscriptions not loaded at start, the store is unavailable: {}", e.getMessage());
            names = List.of();
        }
        for (String name : names) {
            try {
                group(name);
            } catch (SubscriptionException e) {
                // deleted meanwhile
            }
        }
        groups.values().forEach(this::register);
    }

    private void register(Group group) {
        MeterRegistry r = registry;
        if (r == null || meters.containsKey(group.name())) return;
        String name = group.name();
        meters.put(name, List.of(
                Gauge.builder("annals.durable.subscription.lag", group, g -> seconds(g)).tag("subscription", name).baseUnit("seconds")
                        .description("how far the subscription's slowest partition is behind the log").register(r),
                Gauge.builder("annals.durable.subscription.pending", group, Group::pendingCount).tag("subscription", name)
                        .description("events delivered and not yet acknowledged").register(r),
                Gauge.builder("annals.durable.subscription.consumers", group, Group::consumerCount)
                        .tag("subscription", name).description("consumers connected").register(r),
                FunctionCounter.builder("annals.durable.subscription.delivered", group, Group::deliveredCount)
                        .tag("subscription", name).description("events delivered to consumers").register(r),
                FunctionCounter.builder("annals.durable.subscription.acknowledged", group, Group::acknowledgedCount)
                        .tag("subscription", name).description("acknowledgements stored").register(r)));
    }

    private static double seconds(Group g) {
        try {
            return g.status().lag().toNanos() / 1e9;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private void unregister(String name) {
        List<Meter> gone = meters.remove(name);
        MeterRegistry r = registry;
        if (gone != null && r != null) gone.forEach(r::remove);
    }

    /**
     * The periodic round of every subscription with consumers here: a subscription deleted (or created again with
     * another spec) on another server ends here too; the others renew their members and leases and follow the
     * joins and leaves of other servers.
     */
    private void sync() {
        for (Group g : groups.values()) {
            if (!g.active()) continue;
            try {
                Optional<SubscriptionSpec> now = spec(g.name());
                if (now.isPresent() && now.get().equals(g.spec())) {
                    g.sync();
                } else {
                    synchronized (this) {
                        if (groups.remove(g.name(), g)) unregister(g.name());
                    }
                    g.end("subscription '" + g.name() + "' was deleted");
                }
            } catch (RuntimeException e) {
                LOG.warn("renewing the consumers of subscription '{}' failed", g.name(), e);
            }
        }
    }

    private void expireSessions() {
        for (Group g : groups.values()) {
            try {
                g.expire(options.sessionTimeout());
            } catch (RuntimeException e) {
                LOG.warn("checking the sessions of subscription '{}' failed", g.name(), e);
            }
        }
    }

    private static void checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (!NAME.matcher(name).matches())
            throw new IllegalArgumentException(what + " must be 1 to 100 letters, digits, '.', '_' or '-', not '" + name + "'");
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the durable subscriptions are closed");
    }

    /** Ends every consumer ("the server is stopping") and stops the session timer. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        for (Group g : groups.values()) g.end("the server is stopping");
        timer.shutdownNow();
        for (String name : List.copyOf(meters.keySet())) unregister(name);
    }
}
