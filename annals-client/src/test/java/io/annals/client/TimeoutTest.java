package io.annals.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.annals.core.api.AppendRequest;
import io.annals.core.api.Event;
import io.annals.core.api.LogFilter;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.Subscription;
import io.annals.core.api.SubscriptionListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The request timeout bounds a whole answer; a subscription's stream outlives it and reconnects when silent. */
@Timeout(120)
class TimeoutTest {

    /** Sends its headers and half a body, then never anything more. */
    private static final String STALLING = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Content-Length: 1000\r\n\r\n{\"events\":[";

    @Test
    void aServerThatStallsAfterItsHeadersFailsACallOnceTheRequestTimeoutPasses() throws Exception {
        try (StubServer server = new StubServer((request, out) -> write(out, STALLING));
             AnnalsClient client = client(server).requestTimeout(Duration.ofSeconds(2)).build()) {
            assertThatThrownBy(() -> client.query(Query.ofType("parcel.delivered")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("no complete answer from http://127.0.0.1:" + server.port() + "/api/events")
                    .hasMessageContaining("within the request timeout of 2000 ms");
            assertThatThrownBy(() -> client.appendAsync(AppendRequest.of(NewEvent.ofType("t").build()))
                    .toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("within the request timeout");
            assertThatThrownBy(client::health).isInstanceOf(StoreUnavailableException.class);
        }
    }

    @Test
    void aSubscriptionOutlivesTheRequestTimeoutAndReconnectsFromItsPositionWhenTheStreamFallsSilent() throws Exception {
        BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        List<String> order = new CopyOnWriteArrayList<>();
        try (StubServer server = new StubServer((request, out) -> {
                requests.add(request);
                order.add("connected");
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
                        + ": subscribed after 7\n\n");
                if (order.size() > 1) return; // later connections: silent
                for (int i = 0; i < 40; i++) { // the first one: heartbeats for longer than the request timeout
                    sleep(100);
                    write(out, ":\n\n");
                }
                order.add("heartbeats done");
            });
             AnnalsClient client = client(server).requestTimeout(Duration.ofSeconds(2))
                     .idleTimeout(Duration.ofSeconds(3)).build();
             Subscription s = client.subscribe(Position.end(), LogFilter.all(), new SubscriptionListener() {
                 @Override
                 public void onEvent(Event event) {}
             })) {
            String first = requests.poll(60, TimeUnit.SECONDS);
            assertThat(first).startsWith("GET /api/subscribe?from=end ");
            String second = requests.poll(60, TimeUnit.SECONDS);
            assertThat(second).as("reconnected after the silence").startsWith("GET /api/subscribe?from=7 ");
            assertThat(order).startsWith("connected", "heartbeats done", "connected");
            assertThat(s.isClosed()).isFalse();
            assertThat(s.position()).isEqualTo(Position.of("7"));
        }
    }

    private static AnnalsClient.Builder client(StubServer server) {
        return AnnalsClient.builder().baseUri("http://127.0.0.1:" + server.port());
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A socket server that hands each request line to {@code answer} and then holds the connection open. */
    private static final class StubServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        StubServer(BiConsumer<String, OutputStream> answer) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        accepted.add(s);
                        Thread t = new Thread(() -> serve(s, answer), "stub-connection");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "stub-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void serve(Socket s, BiConsumer<String, OutputStream> answer) {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                String requestLine = in.readLine();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    // headers: not needed
                }
                answer.accept(requestLine, s.getOutputStream());
                while (in.read() >= 0) {
                    // hold the connection until the client closes it
                }
            } catch (IOException e) {
                // closed
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) s.close();
        }
    }
}
