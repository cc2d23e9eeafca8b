package io.annals.devservers;

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

    private static final SharedServer<CassandraNode> SHARED = new SharedServer<>("cassandra-shared-",
            "Cassandra node", dir -> CassandraNode.builder().workDir(dir).deleteWorkDirOnClose(true).unsafeSystem(true)
                    .build(), node -> node.forked);

    private SharedCassandra() {
    }

    /**
     * The shared node, started on first use.
     *
     * @throws DevServerException if it could not be started (then and on every later call), or has died since
     */
    public static CassandraNode get() {
        return SHARED.get();
    }
}
