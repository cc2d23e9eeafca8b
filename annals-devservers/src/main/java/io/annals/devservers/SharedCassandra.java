package io.annals.devservers;

import io.annals.devservers.internal.WorkDirs;
import java.nio.file.Path;

/**
 * One Cassandra node per test JVM, shared by every test that does not stop or kill it.
 *
 * <p>The first {@link #get()} starts the node (~10 s) with its data under {@code target/cassandra-shared-<pid>} of
 * the module under test; later calls return the same node. It skips the commit log for system tables (faster
 * schema changes: see {@link CassandraNode.Builder#unsafeSystem(boolean)}), which is why it must never be killed. A shutdown hook stops it and deletes that directory
 * when the JVM exits; directories left behind by JVMs that died are deleted by the next first call. If the node
 * fails to start, every call rethrows that failure rather than waiting again.
 *
 * <p>Isolate tests on the shared node by keyspace (one per test class) and by unique ids, not by truncating.
 * Tests that stop, kill or restart a node must start a {@link CassandraNode} of their own.
 */
public final class SharedCassandra {

    private static final String PREFIX = "cassandra-shared-";

    private static CassandraNode node;
    private static RuntimeException failure;

    private SharedCassandra() {
    }

    /**
     * The shared node, started on first use.
     *
     * @throws DevServerException if it could not be started (then and on every later call), or has died since
     */
    public static synchronized CassandraNode get() {
        if (failure != null) {
            throw failure;
        }
        if (node == null) {
            Path target = WorkDirs.moduleTarget();
            WorkDirs.deleteOrphans(target, PREFIX);
            CassandraNode started = CassandraNode.builder()
                    .workDir(target.resolve(PREFIX + ProcessHandle.current().pid()))
                    .deleteWorkDirOnClose(true)
                    .unsafeSystem(true)
                    .build();
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
            }, "annals-shared-cassandra-stop"));
            node = started;
        }
        if (!node.isRunning()) {
            throw new DevServerException("the shared Cassandra node has died (it must never be stopped or killed:"
                    + " fault tests start their own CassandraNode); the end of " + node.logFile() + ":\n"
                    + node.logTail(40));
        }
        return node;
    }
}
