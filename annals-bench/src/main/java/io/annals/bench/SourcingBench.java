package io.annals.bench;

import io.annals.core.api.EventStore;
import io.annals.core.api.EventStores;
import io.annals.core.spi.EngineSettings;
import io.annals.sourcing.api.AggregateType;
import io.annals.sourcing.api.At;
import io.annals.sourcing.api.Commands;
import io.annals.sourcing.api.Domain;
import io.annals.sourcing.api.Events;
import io.annals.sourcing.api.Fold;
import io.annals.sourcing.api.Initial;
import io.annals.sourcing.api.Snapshots;
import io.annals.sourcing.api.Sourcing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The targets of issue 5 (annals-sourcing): rebuilding the state of an aggregate with a long history, from the latest
 * snapshot and from nothing, and commands from many callers over many aggregates.
 */
@Command(name = "sourcing", mixinStandardHelpOptions = true,
        description = "State rebuilds with and without snapshots, and commands from concurrent callers (issue 5).")
final class SourcingBench implements Callable<Integer> {
    enum Scenario { rebuild, commands }

    @AggregateType("account")
    sealed interface AccountEvent {
        @Initial
        record Opened(String owner) implements AccountEvent {}

        record Deposited(long amount, String reference) implements AccountEvent {}
    }

    record Account(String owner, long balance, long deposits) {
        static final Account NONE = new Account(null, 0, 0);
    }

    static final Fold<Account, AccountEvent> FOLD = Fold.of(AccountEvent.class, Account.NONE)
            .on(AccountEvent.Opened.class, (a, e) -> new Account(e.owner(), a.balance(), a.deposits()))
            .on(AccountEvent.Deposited.class, (a, e) -> new Account(a.owner(), a.balance() + e.amount(), a.deposits() + 1));

    static final Domain DOMAIN = Domain.builder().aggregate(AccountEvent.class).build();

    @Mixin
    BenchOptions options;

    @Option(names = "--scenarios", split = ",", defaultValue = "rebuild,commands",
            description = "What to run, in this order (default ${DEFAULT-VALUE}).")
    List<Scenario> scenarios;

    @Option(names = "--history", defaultValue = "10000", description = "Events of the rebuilt aggregate (default ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--every", defaultValue = "1000", description = "Snapshot every this many events (default ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--callers", defaultValue = "64", description = "Concurrent callers sending commands (default ${DEFAULT-VALUE}).")
    int callers;

    @Option(names = "--aggregates", defaultValue = "100000", description = "Aggregates the commands go to, at random (default ${DEFAULT-VALUE}).")
    int aggregates;

    @Override
    public Integer call() throws Exception {
        List<Result> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            Path dir = Files.createTempDirectory(Files.createDirectories(options.baseDir()), "annals-bench-sourcing-");
            try (EventStore store = EventStores.open(options.engine,
                    new EngineSettings(dir, options.storeOptions, Clock.systemUTC()))) {
                if (s == Scenario.rebuild) results.addAll(rebuild(store));
                else results.add(commands(store));
            } finally {
                WriteBench.deleteRecursively(dir);
            }
        }
        Report.print(System.out, results, options);
        List<Report.Check> checks = new ArrayList<>();
        for (Result r : results) {
            if (r.name().equals("rebuild-snapshot")) checks.add(new Report.Check(r.name() + " p50", r.p50Millis(), "ms", 20, false));
            if (r.name().equals("rebuild-full")) checks.add(new Report.Check(r.name() + " p50", r.p50Millis(), "ms", 200, false));
            if (r.name().startsWith("commands-"))
                checks.add(new Report.Check(r.name() + " rate", r.operationsPerSecond(), "cmd/s", 10_000, true));
        }
        System.out.println();
        System.out.println("Targets of issue 5:");
        for (Report.Check c : checks) System.out.println("  " + c);
        if (options.json != null) Report.writeJson(options.json, "sourcing", results, options, checks);
        return results.stream().anyMatch(r -> r.operations() == 0 || r.errors() > 0) ? 1 : 0;
    }

    /**
     * One aggregate of {@code history} events. The snapshot case loads once after all but {@code every - 1} of them
     * (a snapshot of those), so each measured load reads the snapshot and folds the {@code every - 1} events after it:
     * the most a load with snapshots every {@code every} events folds.
     */
    private List<Result> rebuild(EventStore store) throws Exception {
        Sourcing plain = Sourcing.on(store, DOMAIN).build();
        Sourcing snapshots = Sourcing.on(store, DOMAIN).snapshots(FOLD, Snapshots.every(every)).build();
        int before = Math.max(1, history - (every - 1));
        System.err.printf("writing %,d events of one aggregate%n", history);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        write(plain, "a-1", 0, before, t);
        snapshots.state(FOLD, "a-1"); // writes the snapshot of the first events
        write(plain, "a-1", before, history, t);
        Account expected = plain.state(FOLD, "a-1");
        if (!snapshots.state(FOLD, "a-1").equals(expected) || expected.deposits() != history - 1)
            throw new IllegalStateException("the states differ: " + snapshots.state(FOLD, "a-1") + " " + expected);

        List<Result> results = new ArrayList<>();
        System.err.printf("running rebuild-snapshot: the snapshot of %,d events, then %,d events%n", before, history - before);
        results.add(logged(Runner.run("rebuild-snapshot", "state of " + history + " events from a snapshot of " + before,
                1, options.warmup(), options.duration(), w -> () -> check(snapshots.state(FOLD, "a-1"), expected, history))));
        System.err.printf("running rebuild-full: %,d events from nothing%n", history);
        results.add(logged(Runner.run("rebuild-full", "state of " + history + " events from nothing", 1,
                options.warmup(), options.duration(), w -> () -> check(plain.state(FOLD, "a-1"), expected, history))));
        return results;
    }

    private static int check(Account state, Account expected, int events) {
        if (!state.equals(expected)) throw new IllegalStateException("wrong state " + state + ", expected " + expected);
        return events;
    }

    private static void write(Sourcing sourcing, String id, int from, int to, Instant t) {
        for (int i = from; i < to; ) {
            Events.Batch batch = sourcing.events().batch();
            for (int n = 0; n < 1000 && i < to; n++, i++) {
                AccountEvent e = i == 0 ? new AccountEvent.Opened("owner of " + id) : new AccountEvent.Deposited(i, "ref-" + i);
                batch.add(id, e, At.at(t.plusMillis(i)));
            }
            batch.dispatch();
        }
    }

    /** Commands from {@code callers} threads, each to an aggregate chosen at random (opened by the preload). */
    private Result commands(EventStore store) throws Exception {
        Sourcing sourcing = Sourcing.on(store, DOMAIN).build();
        System.err.printf("opening %,d accounts%n", aggregates);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < aggregates; ) {
            Events.Batch batch = sourcing.events().batch();
            for (int n = 0; n < 1000 && i < aggregates; n++, i++)
                batch.add("a-" + i, new AccountEvent.Opened("owner " + i), At.at(t));
            batch.dispatch();
        }
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            Commands<Account, AccountEvent> commands = sourcing.commands(FOLD).executor(pool).build();
            Commands.Decision<Account, AccountEvent> deposit = a -> {
                if (a.owner() == null) throw new IllegalStateException("no such account");
                return List.of(new AccountEvent.Deposited(1, "deposit"));
            };
            System.err.printf("running commands-%d: %d callers over %,d aggregates%n", callers, callers, aggregates);
            Result r = Runner.run("commands-" + callers, "commands over " + aggregates + " aggregates (" + options.engine + ")",
                    callers, options.warmup(), options.duration(), w -> () -> {
                        commands.execute("a-" + ThreadLocalRandom.current().nextInt(aggregates), deposit);
                        return 1;
                    });
            System.err.printf("  %d conflicts retried%n", commands.retries());
            return logged(r);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Result logged(Result r) {
        System.err.println(Report.line(r));
        return r;
    }
}
