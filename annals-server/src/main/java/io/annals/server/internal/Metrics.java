package io.annals.server.internal;

import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.EventStore;
import io.annals.core.api.StoreStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import io.annals.core.api.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's meters, scraped in Prometheus text format from {@code GET /metrics}:
 * <ul>
 *   <li>{@code http_server_requests_seconds} (count, sum, histogram buckets) by method, route, status;</li>
 *   <li>{@code annals_appends_total} by outcome (ok, duplicate, wrong_expected_version, duplicate_id_conflict,
 *       invalid, unavailable, error);</li>
 *   <li>{@code annals_events_appended_total} (new events written) and {@code annals_events_duplicate_total};</li>
 *   <li>{@code annals_store_events} and {@code annals_store_size_bytes} from the store's stats, read at each scrape;</li>
 *   <li>{@code annals_subscriptions_open} (SSE subscriptions streaming now), {@code annals_subscriptions_catching_up}
 *       (those of them not at the head), {@code annals_subscription_events_delivered_total} (its rate is the delivery
 *       rate) and {@code annals_subscription_lag_max_seconds} (the largest lag, as time behind the head);</li>
 *   <li>JVM memory, GC, threads, CPU and uptime.</li>
 * </ul>
 */
public final class Metrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter eventsAppended;
    private final Counter eventsDuplicate;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final EventStore store;
    /** Timers by "method status route": found without building a meter id on every request. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    /** Append counters by outcome, so that counting one needs no meter id built and looked up per request. */
    private final Map<String, Counter> appends = new ConcurrentHashMap<>();
    private volatile StoreStats stats = new StoreStats(-1, -1);
    private final Counter subscriptionEvents;
    private volatile Supplier<Collection<Subscription>> subscriptions = List::of;

    public Metrics(EventStore store) {
        this.store = store;
        eventsAppended = Counter.builder("annals.events.appended").description("events newly stored").register(registry);
        eventsDuplicate = Counter.builder("annals.events.duplicate")
                .description("events posted again with the id of a stored event (stored once)").register(registry);
        Gauge.builder("annals.store.events", this, m -> m.stats.approximateEvents())
                .description("approximate number of events in the store (-1: unknown)").register(registry);
        Gauge.builder("annals.store.size", this, m -> m.stats.sizeBytes()).baseUnit("bytes")
                .description("bytes the store takes on disk (-1: unknown)").register(registry);
        subscriptionEvents = Counter.builder("annals.subscription.events.delivered")
                .description("events sent to subscribers over SSE").register(registry);
        Gauge.builder("annals.subscriptions.open", this, m -> m.subscriptions.get().size())
                .description("subscriptions streaming over SSE now").register(registry);
        Gauge.builder("annals.subscriptions.catching.up", this,
                        m -> m.subscriptions.get().stream().filter(s -> !s.isLive()).count())
                .description("SSE subscriptions not at the head of the log").register(registry);
        Gauge.builder("annals.subscription.lag.max", this, Metrics::maxLagSeconds).baseUnit("seconds")
                .description("the largest lag of an SSE subscription: time since the capture of the last event it"
                        + " handled, 0 when at the head").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** The registry, for meters registered elsewhere (durable subscriptions, the Kafka relay and ingest). */
    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    /** Records one finished HTTP request. {@code route} is the matched path template (never the raw path). */
    public void request(String method, String route, int status, float millis) {
        timers.computeIfAbsent(method + ' ' + status + ' ' + route, k -> timer(method, route, status))
                .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    private Timer timer(String method, String route, int status) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests served, by route and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    /** Counts an append request by its outcome. */
    public void append(String outcome) {
        Counter c = appends.get(outcome);
        if (c == null) c = appends.computeIfAbsent(outcome, o -> registry.counter("annals.appends", "outcome", o));
        c.increment();
    }

    public void appended(AppendResult result) {
        List<Appended> events = result.events();
        int duplicates = 0;
        for (int i = 0; i < events.size(); i++) if (events.get(i).duplicate()) duplicates++;
        if (duplicates < events.size()) eventsAppended.increment(events.size() - duplicates);
        if (duplicates > 0) eventsDuplicate.increment(duplicates);
        append(duplicates == events.size() ? "duplicate" : "ok");
    }

    /** Where the subscription gauges find the open subscriptions. */
    public void subscriptions(Supplier<Collection<Subscription>> open) {
        subscriptions = open;
    }

    /** Counts one event sent to a subscriber. */
    public void subscriptionDelivered() {
        subscriptionEvents.increment();
    }

    private double maxLagSeconds() {
        long max = 0;
        for (Subscription s : subscriptions.get()) max = Math.max(max, s.lag().toMillis());
        return max / 1000.0;
    }

    /** The Prometheus text exposition, with store figures read now. */
    public String scrape() {
        try {
            stats = store.stats();
        } catch (RuntimeException e) {
            LOG.warn("could not read store stats for metrics: {}", e.toString());
            stats = new StoreStats(-1, -1);
        }
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
