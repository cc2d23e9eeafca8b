package io.annals.sourcing.api;

import io.annals.core.api.AggregateId;
import io.annals.core.api.EventStore;
import io.annals.sourcing.internal.ScheduleRunner;
import io.annals.sourcing.internal.Sink;
import io.annals.sourcing.internal.StoreRunner;
import io.annals.sourcing.internal.TransientBus;
import io.annals.sourcing.internal.TransportRunner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handlers of typed events, run on the {@link Schedule} that configuration chooses; the handler code is the same
 * under each.
 * <pre>{@code
 * Processing tracking = Processing.builder(domain).configure(settings)   // schedule = transient|durable|persistent
 *         .store(store)                                                  // for persistent
 *         .on(ParcelEvent.class, tracker)
 *         .start();
 * tracking.dispatchTo("p1", new ReceivedAtDepot("Lewisham"), at(time));
 * }</pre>
 * <ul>
 *   <li>Dispatched events pass the append middleware chain; the ones that come out travel by the schedule
 *       (the transient bus, the transport, or the store), then pass the delivery middleware chain and reach every
 *       handler registered for their aggregate type or record.</li>
 *   <li>Handlers are called on the processing's own thread, one event at a time, so they need no locking; each
 *       aggregate's events arrive in the order they were dispatched (under the persistent schedule: appended).</li>
 *   <li>Guarantees: transient delivers each event at most once; durable and persistent at least once (after a
 *       restart, events since the last commit or checkpoint come again: handlers or a delivery middleware dedupe by
 *       {@link Recorded#id()}, which every event has).</li>
 *   <li>A handler (or delivery middleware, or an event that cannot be decoded) that throws stops the delivery:
 *       {@link #failure()} says why. Durable and persistent keep the event for the next start; transient loses it
 *       and the events queued behind it, and refuses later dispatches.</li>
 * </ul>
 * Thread-safe. Close it to stop; it does not close the store or a transport it was given.
 */
public final class Processing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Processing.class);
    private final Domain domain;
    private final Schedule schedule;
    private final String name;
    private final Middleware appends;
    private final Middleware deliveries;
    private final List<Handler<?>> handlers;
    private final AutoCloseable owned;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ScheduleRunner runner;
    private volatile boolean closed;

    private Processing(Builder b, Transport transport) {
        this.domain = b.domain;
        this.schedule = b.schedule;
        this.name = b.name;
        this.appends = Middleware.chain(b.appends);
        this.deliveries = Middleware.chain(b.deliveries);
        this.handlers = List.copyOf(b.handlers);
        this.owned = b.transport == null ? transport : null;
        Set<String> types = new LinkedHashSet<>();
        for (Handler<?> h : handlers) types.add(h.aggregateType);
        Sink sink = new Sink(types, this::deliver, this::failed);
        this.runner = switch (schedule) {
            case TRANSIENT -> new TransientBus(name, b.capacity, sink);
            case PERSISTENT -> new StoreRunner(b.store, domain.codec(), checkpointName(name), sink);
            case DURABLE -> new TransportRunner(transport, domain.codec(), groupName(name), sink, Clock.systemUTC());
        };
    }

    /** Starts setting up a processing of {@code domain}'s events. */
    public static Builder builder(Domain domain) {
        return new Builder(Objects.requireNonNull(domain, "domain"));
    }

    /** The store checkpoint of a persistent processing named {@code name}: {@code processing/<name>}. */
    public static String checkpointName(String name) {
        return "processing/" + name;
    }

    /** The transport's consumer group of a durable processing named {@code name}: {@code annals.processing.<name>}. */
    public static String groupName(String name) {
        return "annals.processing." + name;
    }

    /**
     * Dispatches one event of aggregate {@code aggregateId}. Returns when the schedule has it: queued on the
     * transient bus, acknowledged by the broker, or appended to the store; handlers run later, on their thread.
     * @throws IllegalStateException when closed, or when a transient processing stopped after a handler failed
     */
    public void dispatchTo(String aggregateId, Object event, At at) {
        batch().add(aggregateId, event, at).dispatch();
    }

    /** Collects events, of one or several aggregates, to dispatch together (one atomic append when persistent). */
    public Batch batch() {
        return new Batch();
    }

    public Schedule schedule() {
        return schedule;
    }

    public String name() {
        return name;
    }

    /** What stopped the delivery (a handler threw, an event could not be decoded, the store failed), if anything. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** True until it is closed or its delivery stopped with a {@link #failure()}. */
    public boolean isRunning() {
        return !closed && failure.get() == null;
    }

    /**
     * Stops the delivery (a transient processing first delivers the events already dispatched) and waits for it.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        runner.close();
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                LOG.warn("closing the transport of processing {} failed: {}", name, e.toString());
            }
        }
    }

    private void deliver(Recorded<?> event) {
        deliveries.handle(event, passed -> {
            for (Handler<?> h : handlers) h.offer(passed);
        });
    }

    private void failed(Throwable cause) {
        if (failure.compareAndSet(null, cause))
            LOG.error("processing {} ({} schedule) stopped delivering", name, schedule, cause);
    }

    /** Events for one dispatch; not thread-safe. */
    public final class Batch {
        private final List<Recorded<?>> events = new ArrayList<>();

        private Batch() {}

        public Batch add(String aggregateId, Object event, At at) {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(at, "at");
            String type = domain.codec().types().of(event.getClass()).aggregateType();
            events.add(new Recorded<>(at.id(), AggregateId.of(type, aggregateId), at.time(), event, at.metadata(), 0));
            return this;
        }

        /** Passes every event through the append middleware chain and dispatches those that come out, in order. */
        public void dispatch() {
            if (closed) throw new IllegalStateException("processing " + name + " is closed");
            List<Recorded<?>> passed = new ArrayList<>(events.size());
            try {
                for (Recorded<?> r : events) appends.handle(r, passed::add);
                if (passed.isEmpty()) return;
                runner.publish(schedule == Schedule.PERSISTENT ? passed : withIds(passed));
            } catch (RuntimeException e) {
                for (Recorded<?> r : passed) appends.failed(r, e);
                throw e;
            }
        }

        /** The store gives events without an id one; the other schedules do it here, so that handlers can dedupe. */
        private static List<Recorded<?>> withIds(List<Recorded<?>> events) {
            List<Recorded<?>> out = new ArrayList<>(events.size());
            for (Recorded<?> r : events)
                out.add(r.id() != null ? r : new Recorded<>(UUID.randomUUID().toString(), r.aggregate(), r.time(),
                        r.event(), r.metadata(), r.streamVersion()));
            return out;
        }
    }

    /**
     * Sets up a processing: a schedule (required), handlers (at least one), and what the schedule needs: a store for
     * persistent, a transport for durable (given, or made by the {@link TransportFactory} that configuration names).
     * Parts the chosen schedule does not use are ignored, so one set-up serves every schedule. Fails at once on a
     * handler that could never fire.
     */
    public static final class Builder {
        private static final Set<String> KEYS = Set.of("schedule", "name", "transport", "transient.capacity");
        private final Domain domain;
        private Schedule schedule;
        private String name = "default";
        private EventStore store;
        private Transport transport;
        private String transportName;
        private final Map<String, String> transportSettings = new LinkedHashMap<>();
        private int capacity = 10_000;
        private final List<Middleware> appends = new ArrayList<>();
        private final List<Middleware> deliveries = new ArrayList<>();
        private final List<Handler<?>> handlers = new ArrayList<>();

        private Builder(Domain domain) {
            this.domain = domain;
        }

        public Builder schedule(Schedule chosen) {
            this.schedule = Objects.requireNonNull(chosen, "schedule");
            return this;
        }

        /**
         * Reads settings, for example the {@code annals.processing.*} keys of an application's configuration without
         * that prefix: {@code schedule} ({@code transient}, {@code durable} or {@code persistent}), {@code name},
         * {@code transient.capacity}, {@code transport} (the {@link TransportFactory#name()} for durable) and
         * {@code transport.*} (that factory's settings, without the prefix). Unknown keys are refused.
         */
        public Builder configure(Map<String, String> settings) {
            for (Map.Entry<String, String> e : settings.entrySet()) {
                String key = e.getKey();
                String value = Objects.requireNonNull(e.getValue(), key);
                if (key.startsWith("transport.")) transportSettings.put(key.substring("transport.".length()), value);
                else if (!KEYS.contains(key))
                    throw new IllegalArgumentException("unknown processing setting '" + key + "': use one of "
                            + new java.util.TreeSet<>(KEYS) + " or transport.*");
            }
            if (settings.containsKey("schedule")) schedule(Schedule.of(settings.get("schedule")));
            if (settings.containsKey("name")) name(settings.get("name"));
            if (settings.containsKey("transport")) transportName = settings.get("transport");
            if (settings.containsKey("transient.capacity")) {
                try {
                    capacity(Integer.parseInt(settings.get("transient.capacity").trim()));
                } catch (NumberFormatException x) {
                    throw new IllegalArgumentException("transient.capacity must be a whole number, not '"
                            + settings.get("transient.capacity") + "'");
                }
            }
            return this;
        }

        /** {@link #configure(Map)} from properties. */
        public Builder configure(Properties settings) {
            Map<String, String> map = new LinkedHashMap<>();
            for (String key : settings.stringPropertyNames()) map.put(key, settings.getProperty(key));
            return configure(map);
        }

        /**
         * Names the processing (default {@code default}): its store checkpoint is {@link #checkpointName} and its
         * consumer group {@link #groupName}, so a processing of the same name resumes where the last one stopped.
         */
        public Builder name(String processingName) {
            if (processingName == null || processingName.isBlank() || processingName.length() > 200)
                throw new IllegalArgumentException("a processing name must be 1 to 200 characters, not '"
                        + processingName + "'");
            this.name = processingName;
            return this;
        }

        /** The store of the persistent schedule, which keeps the events and the checkpoint; owned by the caller. */
        public Builder store(EventStore eventStore) {
            this.store = Objects.requireNonNull(eventStore, "store");
            return this;
        }

        /** The transport of the durable schedule; owned by the caller. */
        public Builder transport(Transport durable) {
            this.transport = Objects.requireNonNull(durable, "transport");
            return this;
        }

        /** Events the transient bus holds before {@code dispatchTo} waits (default 10000). */
        public Builder capacity(int events) {
            if (events < 1) throw new IllegalArgumentException("transient.capacity must be at least 1, not " + events);
            this.capacity = events;
            return this;
        }

        /** Adds middlewares that every dispatched event passes, in the order added. */
        public Builder appendThrough(Middleware... middlewares) {
            appends.addAll(List.of(middlewares));
            return this;
        }

        /** Adds middlewares that every delivered event passes, in the order added, before the handlers. */
        public Builder deliverThrough(Middleware... middlewares) {
            deliveries.addAll(List.of(middlewares));
            return this;
        }

        /**
         * Registers {@code handler} for the events of a registered aggregate ({@code ParcelEvent.class}) or for one
         * registered record ({@code Delivered.class}). Handlers of one event run in the order registered.
         * @throws IllegalArgumentException when {@code events} is neither, so the handler could never fire
         */
        public <E> Builder on(Class<E> events, Consumer<Recorded<E>> handler) {
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(handler, "handler");
            String type = events.isInterface() ? domain.aggregateType(events)
                    : domain.codec().types().of(events).aggregateType();
            handlers.add(new Handler<>(events, type, handler));
            return this;
        }

        /**
         * Starts delivering: transient at once; persistent from the checkpoint (the start of the log the first time);
         * durable from the group's last commit (the earliest event the broker keeps the first time).
         * @throws IllegalStateException when the schedule, a handler, or what the schedule needs is missing
         */
        public Processing start() {
            if (schedule == null)
                throw new IllegalStateException("choose a schedule: schedule(Schedule.TRANSIENT | DURABLE | PERSISTENT)"
                        + " or configure(Map.of(\"schedule\", \"transient\"))");
            if (handlers.isEmpty()) throw new IllegalStateException("register a handler first: on(Events.class, handler)");
            if (schedule == Schedule.PERSISTENT && store == null)
                throw new IllegalStateException("the persistent schedule needs a store: call store(...)");
            Transport durable = schedule == Schedule.DURABLE ? (transport != null ? transport : loadTransport()) : null;
            try {
                return new Processing(this, durable);
            } catch (RuntimeException e) {
                if (durable != null && durable != transport) durable.close();
                throw e;
            }
        }

        private Transport loadTransport() {
            List<TransportFactory> found = new ArrayList<>();
            for (TransportFactory f : ServiceLoader.load(TransportFactory.class)) {
                if (transportName == null || f.name().equals(transportName)) found.add(f);
            }
            if (found.size() == 1) return found.get(0).create(transportSettings);
            if (found.isEmpty())
                throw new IllegalStateException("the durable schedule needs a transport: call transport(...), or put one"
                        + " on the class path (annals-kafka provides 'kafka')"
                        + (transportName == null ? "" : "; none is named '" + transportName + "'"));
            throw new IllegalStateException("several transports are on the class path (" + found.stream()
                    .map(TransportFactory::name).toList() + "): choose one with the setting transport = <name>");
        }
    }

    /** A handler with what it takes. */
    private record Handler<E>(Class<E> events, String aggregateType, Consumer<Recorded<E>> handler) {
        @SuppressWarnings("unchecked")
        void offer(Recorded<?> event) {
            if (events.isInstance(event.event())) handler.accept((Recorded<E>) event);
        }
    }
}
