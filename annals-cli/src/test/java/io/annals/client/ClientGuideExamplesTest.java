package io.annals.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Appended;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.LogPage;
import io.annals.core.api.NewEvent;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.WrongExpectedVersionException;
import io.annals.server.AnnalsServer;
import io.annals.server.ServerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The examples of docs/client.md, run against a real server. Keep the two in step. */
class ClientGuideExamplesTest {

    @Test
    void theGuideWorksAsWritten() {
        try (AnnalsServer server = AnnalsServer.start(ServerConfig.load(null,
                Map.of("annals.http.port", "0", "annals.store.engine", "memory")))) {
            // Connecting
            try (AnnalsClient client = AnnalsClient.builder()
                    .baseUri(server.uri())
                    .token(null)
                    .connectTimeout(Duration.ofSeconds(5))
                    .requestTimeout(Duration.ofSeconds(30))
                    .build()) {
                assertThat(client.health().isUp()).isTrue();

                // Writing
                AppendResult r = client.append(NewEvent.ofType("parcel.delivered")
                        .id("scan-7-000123")
                        .source("depot-scanner:7")
                        .aggregate("parcel", "69016fb5")
                        .time(Instant.parse("2016-03-31T10:36:42.171234Z"))
                        .tag("london")
                        .payload("{\"deliveryAddress\":\"123 Sudbury Avenue\"}")
                        .build());
                Appended a = r.events().get(0);
                assertThat(a.id()).isEqualTo("scan-7-000123");
                assertThat(a.streamVersion()).isEqualTo(1);

                AggregateId account = AggregateId.of("account", "a-17");
                long version = client.streamVersion(account);
                assertThat(version).isZero();
                client.append(AppendRequest.of(NewEvent.ofType("deposited").aggregate(account).payload("{\"amount\":10}").build())
                        .expecting(ExpectedVersion.exactly(version)));
                boolean conflicted = false;
                try {
                    client.append(AppendRequest.of(NewEvent.ofType("deposited").aggregate(account).build())
                            .expecting(ExpectedVersion.exactly(version)));
                } catch (WrongExpectedVersionException e) {
                    conflicted = e.actual() == 1;
                }
                assertThat(conflicted).isTrue();

                // Reading
                Optional<Event> one = client.get("scan-7-000123");
                assertThat(one).isPresent();

                for (int i = 0; i < 5; i++) {
                    client.append(NewEvent.ofType("parcel.delivered").tag("london")
                            .time(Instant.parse("2016-03-31T10:36:42Z").plusSeconds(i)).build());
                }
                List<String> seen = new ArrayList<>();
                EventPage page = client.query(Query.ofType("parcel.delivered").tag("london").limit(2));
                while (true) {
                    page.events().forEach(e -> seen.add(e.id()));
                    if (!page.hasMore()) break;
                    page = client.query(Query.ofType("parcel.delivered").tag("london").limit(2).after(page.next()));
                }
                assertThat(seen).hasSize(6).doesNotHaveDuplicates();

                try (Stream<Event> all = client.queryAll(Query.ofType("parcel.delivered")
                        .from(Instant.parse("2016-03-01T00:00:00Z")))) {
                    assertThat(all.count()).isEqualTo(6);
                }

                AggregatePage history = client.readAggregate(AggregateQuery.of(AggregateId.of("parcel", "69016fb5")));
                assertThat(history.streamVersion()).isEqualTo(1);
                Stream<Event> whole = client.readAggregateAll(AggregateQuery.of(AggregateId.of("parcel", "69016fb5")).limit(500));
                assertThat(whole.count()).isEqualTo(1);

                LogPage log = client.readLog(Position.start(), 1000);
                assertThat(log.events()).hasSize(7);
            }
        }
    }
}
