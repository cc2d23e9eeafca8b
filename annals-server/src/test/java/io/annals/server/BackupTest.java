package io.annals.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.annals.core.api.AggregateId;
import io.annals.core.api.AggregatePage;
import io.annals.core.api.AggregateQuery;
import io.annals.core.api.AppendRequest;
import io.annals.core.api.AppendResult;
import io.annals.core.api.Event;
import io.annals.core.api.EventPage;
import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.api.LogPage;
import io.annals.core.api.Position;
import io.annals.core.api.Query;
import io.annals.core.api.StoreStats;
import io.annals.core.api.codec.EventJson;
import io.annals.core.spi.Backups;
import io.annals.core.spi.EngineSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /api/admin/backup over a store that can take backups: the in-memory store, given a backup that writes its
 * log as JSON lines (the RocksDB engine's checkpoint is exercised in RocksDbServerTest).
 */
class BackupTest {
    @TempDir
    Path dir;
    BackupCapableStore store;
    AnnalsServer server;
    Http http;

    @BeforeEach
    void start() {
        store = new BackupCapableStore(EventStores.open("memory", EngineSettings.of(null)));
        server = AnnalsServer.start(ServerConfig.defaults(Map.of("annals.http.port", "0")), store);
        http = new Http(server.uri());
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    @Test
    void backupRunsOffTheRequestThreadAndAnswers201WhenDone() throws IOException {
        http.postJson("/api/events", "[{\"id\":\"bk-1\",\"type\":\"t\"},{\"id\":\"bk-2\",\"type\":\"t\"}]");
        Path target = dir.resolve("backup-1");
        Http.Resp r = http.post("/api/admin/backup", "application/json", "{\"target\":\"" + target + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("target").asText()).isEqualTo(target.toString());
        assertThat(Files.readAllLines(target.resolve("events.jsonl"))).hasSize(2);
        assertThat(store.backupThread).isEqualTo("annals-backup");
    }

    @Test
    void existingTargetIsRefused() throws IOException {
        Path target = Files.createDirectory(dir.resolve("taken"));
        Http.Resp r = http.post("/api/admin/backup", "application/json", "{\"target\":\"" + target + "\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).hasValue("application/problem+json");
        assertThat(r.json().get("detail").asText()).contains("exists already");
    }

    @Test
    void unknownFieldAndWrongContentTypeAreRefused() {
        assertThat(http.post("/api/admin/backup", "application/json", "{\"target\":\"/x\",\"compress\":true}").status())
                .isEqualTo(400);
        assertThat(http.post("/api/admin/backup", "text/plain", "/x").status()).isEqualTo(415);
    }

    /** The in-memory store plus a backup that writes the global log to {@code events.jsonl}. */
    static final class BackupCapableStore implements EventStore, Backups {
        private final EventStore delegate;
        volatile String backupThread;

        BackupCapableStore(EventStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void backupTo(Path target) {
            backupThread = Thread.currentThread().getName();
            try {
                Files.createDirectories(target);
                List<String> lines = delegate.readLog(Position.start(), 10_000).events().stream().map(EventJson::toJson).toList();
                Files.write(target.resolve("events.jsonl"), lines);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public CompletionStage<AppendResult> appendAsync(AppendRequest request) { return delegate.appendAsync(request); }
        @Override public Optional<Event> get(String id) { return delegate.get(id); }
        @Override public EventPage query(Query query) { return delegate.query(query); }
        @Override public AggregatePage readAggregate(AggregateQuery query) { return delegate.readAggregate(query); }
        @Override public long streamVersion(AggregateId aggregate) { return delegate.streamVersion(aggregate); }
        @Override public LogPage readLog(Position after, int limit) { return delegate.readLog(after, limit); }
        @Override public StoreStats stats() { return delegate.stats(); }
        @Override public void close() { delegate.close(); }
    }
}
