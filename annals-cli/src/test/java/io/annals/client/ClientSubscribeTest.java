package io.annals.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.Event;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogFilter;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import io.annals.core.spi.EngineSettings;
import io.annals.server.AnnalsServer;
import io.annals.server.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link AnnalsClient#subscribe} against a real server: SSE, filters, resuming after the server restarts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientSubscribeTest {
    private EventStore store;
    private AnnalsServer server;
    private AnnalsClient client;

    @BeforeEach
    void start() {
        store = EventStores.open("memory", EngineSettings.of(null));
        server = serve(0);
        client = AnnalsClient.builder().baseUri(server.uri()).build();
    }

    private AnnalsServer serve(int port) {
        return AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", Integer.toString(port))), store);
    }

    @AfterEach
    void stop() {
        client.close();
        if (server != null) server.close();
        store.close();
    }

    /** Keeps what the subscription delivers. */
    static final class Recorder implements SubscriptionListener {
        final List<Event> events = new ArrayList<>();
        final List<String> closed = new ArrayList<>();
        Throwable failure;

        @Override
        public synchronized void onEvent(Event event) {
            events.add(event);
        }

        @Override
        public synchronized void onClosed(Throwable f) {
            closed.add(f == null ? "closed" : "failed");
            failure = f;
        }

        synchronized List<Event> events() {
            return List.copyOf(events);
        }

        synchronized int count() {
            return events.size();
        }
    }

    private List<Event> append(String type, int n) {
        for (int i = 0; i < n; i++) store.append(NewEvent.ofType(type).aggregate("acc", "a" + (i % 3)).tag("t" + (i % 2)).build());
        return log();
    }

    private List<Event> log() {
        LogPage page = store.readLog(Position.start(), 10_000);
        return page.events();
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) Thread.sleep(5);
    }

    @Test
    void deliversHistoryThenLiveEventsAsTheStoreHasThem() throws Exception {
        append("old", 10);
        Recorder r = new Recorder();
        Subscription s = client.subscribe(Position.start(), LogFilter.all(), r);
        await(() -> r.count() >= 10);
        List<Event> log = append("new", 5);
        await(() -> r.count() >= 15 && s.isLive());
        assertThat(r.events()).isEqualTo(log);
        assertThat(s.position()).isEqualTo(log.get(14).position());
        assertThat(s.delivered()).isEqualTo(15);
        s.close();
        assertThat(r.closed).containsExactly("closed");
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void filtersTravelToTheServer() throws Exception {
        append("a", 6);
        append("b", 6);
        Recorder r = new Recorder();
        Subscription s = client.subscribe(Position.start(), LogFilter.all().types("b", "c").tags("t1"), r);
        List<Event> log = log();
        await(() -> s.isLive() && s.position().equals(log.get(log.size() - 1).position()));
        assertThat(r.events()).isEqualTo(log.stream().filter(e -> e.type().equals("b") && e.tags().contains("t1")).toList());
        s.close();
    }

    @Test
    void fromTheEndDeliversOnlyLaterEvents() throws Exception {
        List<Event> old = append("old", 4);
        Recorder r = new Recorder();
        Subscription s = client.subscribe(Position.end(), LogFilter.all(), r);
        await(s::isLive);
        assertThat(s.position()).isEqualTo(old.get(3).position());
        List<Event> later = append("new", 2).subList(4, 6);
        await(() -> r.count() >= 2);
        assertThat(r.events()).isEqualTo(later);
        s.close();
    }

    @Test
    void aPositionTheServerRefusesFailsAtOnce() {
        assertThatThrownBy(() -> client.subscribe(Position.of("nonsense"), LogFilter.all(), new Recorder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonsense");
    }

    @Test
    void aRestartedServerIsFollowedFromTheLastEventSeen() throws Exception {
        append("before", 5);
        Recorder r = new Recorder();
        Subscription s = client.subscribe(Position.start(), LogFilter.all(), r);
        await(() -> r.count() >= 5);
        int port = server.port();
        server.close();
        server = null;
        append("while-down", 3); // written to the store while no server serves it
        server = serve(port);
        List<Event> log = append("after", 2);
        await(() -> r.count() >= 10);
        await(s::isLive);
        assertThat(r.events()).as("each event once, in log order, across the reconnect").isEqualTo(log);
        s.close();
        assertThat(r.failure).isNull();
    }
}
