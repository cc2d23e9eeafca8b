package io.annals.devservers;

/**
 * One Kafka broker per test JVM, shared by every test that does not stop or kill it.
 *
 * <p>The first {@link #get()} starts the broker (~5-10 s) with its data under {@code target/kafka-shared-<pid>} of
 * the module under test; later calls return the same broker. A shutdown hook kills it and deletes that directory
 * when the JVM exits (and should the JVM itself be killed, the broker exits when its stdin pipe closes);
 * directories left behind by JVMs that died are deleted by the next first call. If the broker fails to start,
 * every call rethrows that failure rather than waiting again.
 *
 * <p>Isolate tests on the shared broker by topic and consumer group names unique to the test, not by deleting
 * topics. Topics are created on first use with one partition ({@code num.partitions=1}); create them with an admin
 * client to get more. Tests that stop, kill or restart a broker must start a {@link KafkaNode} of their own.
 */
public final class SharedKafka {

    private static final SharedServer<KafkaNode> SHARED = new SharedServer<>("kafka-shared-", "Kafka broker",
            dir -> KafkaNode.builder().workDir(dir).deleteWorkDirOnClose(true).build(), node -> node.forked);

    private SharedKafka() {
    }

    /**
     * The shared broker, started on first use.
     *
     * @throws DevServerException if it could not be started (then and on every later call), or has died since
     */
    public static KafkaNode get() {
        return SHARED.get();
    }
}
