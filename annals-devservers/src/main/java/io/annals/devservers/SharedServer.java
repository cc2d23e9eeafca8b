package io.annals.devservers;

import io.annals.devservers.internal.WorkDirs;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What {@link SharedKafka} and {@link SharedCassandra} share: one server per test JVM, started on first use in
 * {@code target/<prefix><pid>}, killed and deleted when the JVM exits; a failed start is rethrown by every later call.
 *
 * @param <N> the node type
 */
final class SharedServer<N> {

    private final String prefix;
    private final String what;
    private final Function<Path, N> build;
    private final Function<N, ForkedServer> forked;
    private N node;
    private RuntimeException failure;

    /**
     * @param prefix what the work directory's name starts with ({@code kafka-shared-})
     * @param what   the server in messages ({@code Kafka broker})
     * @param build  a node (not started) in a work directory that close deletes
     * @param forked the node's forked server
     */
    SharedServer(String prefix, String what, Function<Path, N> build, Function<N, ForkedServer> forked) {
        this.prefix = prefix;
        this.what = what;
        this.build = build;
        this.forked = forked;
    }

    synchronized N get() {
        if (failure != null) {
            throw failure;
        }
        if (node == null) {
            Path target = WorkDirs.moduleTarget();
            WorkDirs.deleteOrphans(target, prefix);
            N built = build.apply(target.resolve(prefix + ProcessHandle.current().pid()));
            ForkedServer started = forked.apply(built);
            try {
                started.start();
            } catch (RuntimeException e) {
                failure = e;
                started.kill();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // Throw-away data: a kill is as good as a stop and does not hold up the end of the test run.
                started.kill();
                WorkDirs.deleteRecursively(started.workDir());
            }, "annals-" + prefix + "stop"));
            node = built;
        }
        ForkedServer server = forked.apply(node);
        if (!server.isRunning()) {
            String type = node.getClass().getSimpleName();
            throw new DevServerException("the shared " + what + " has died (it must never be stopped or killed:"
                    + " fault tests start their own " + type + "); the end of " + server.logFile() + ":\n"
                    + server.logTail(40));
        }
        return node;
    }
}
