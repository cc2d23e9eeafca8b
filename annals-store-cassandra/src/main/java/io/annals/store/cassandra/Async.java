package io.annals.store.cassandra;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Runs statements concurrently and waits for all of them (the driver's throttler bounds what is in flight). */
final class Async {
    private Async() {}

    static List<AsyncResultSet> all(Connection conn, List<? extends Statement<?>> statements) {
        if (statements.isEmpty()) return List.of();
        Statements s = conn.statements();
        List<CompletableFuture<AsyncResultSet>> futures = new ArrayList<>(statements.size());
        for (Statement<?> st : statements) futures.add(s.session.executeAsync(st).toCompletableFuture());
        return join(conn, futures);
    }

    static CompletableFuture<Void> allAsync(Connection conn, List<? extends Statement<?>> statements) {
        Statements s = conn.statements();
        List<CompletableFuture<AsyncResultSet>> futures = new ArrayList<>(statements.size());
        for (Statement<?> st : statements) futures.add(s.session.executeAsync(st).toCompletableFuture());
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }

    static List<AsyncResultSet> join(Connection conn, List<CompletableFuture<AsyncResultSet>> futures) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw conn.unavailable(e.getCause());
        }
        List<AsyncResultSet> out = new ArrayList<>(futures.size());
        for (CompletableFuture<AsyncResultSet> f : futures) out.add(f.join());
        return out;
    }

    /** Waits for every future, then reports the first failure: none is left running when this returns. */
    static List<Throwable> settle(List<CompletableFuture<AsyncResultSet>> futures) {
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<AsyncResultSet> f : futures) {
            try {
                f.join();
            } catch (CompletionException e) {
                failures.add(e.getCause());
            } catch (java.util.concurrent.CancellationException e) {
                failures.add(e);
            }
        }
        return failures;
    }
}
