package io.annals.devservers;

import io.annals.devservers.internal.WorkDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings every forked server has, with their checks: {@link KafkaNode.Builder} and
 * {@link CassandraNode.Builder} each keep one and add their own. {@code port} is the one clients use, {@code otherPort}
 * the server's second one (0: a free one picked at the first start).
 */
final class ForkOptions {

    Path workDir;
    boolean deleteWorkDirOnClose;
    String minHeap;
    String maxHeap;
    int port;
    int otherPort;
    Duration startTimeout;
    Duration stopTimeout = Duration.ofSeconds(30);
    boolean detached;
    final List<String> jvmOptions = new ArrayList<>();
    private final String heapExample;

    ForkOptions(String minHeap, String maxHeap, Duration startTimeout) {
        this.minHeap = minHeap;
        this.maxHeap = maxHeap;
        this.startTimeout = startTimeout;
        this.heapExample = minHeap;
    }

    void workDir(Path dir) {
        this.workDir = requireNonNull(dir, "workDir");
    }

    void heap(String min, String max) {
        this.minHeap = requireSize(min, "min");
        this.maxHeap = requireSize(max, "max");
    }

    void jvmOption(String option) {
        jvmOptions.add(requireNonNull(option, "option"));
    }

    void startTimeout(Duration timeout) {
        this.startTimeout = requirePositive(timeout, "startTimeout");
    }

    void stopTimeout(Duration timeout) {
        this.stopTimeout = requirePositive(timeout, "stopTimeout");
    }

    /**
     * A copy for a node to keep, so that later changes to the builder do not reach it: without a work directory it
     * gets a fresh {@code target/<id>-<pid>-<n>}, deleted on close.
     */
    ForkOptions build(String id, String portName, String otherPortName) {
        ForkOptions copy = new ForkOptions(heapExample, maxHeap, startTimeout);
        copy.minHeap = minHeap;
        copy.workDir = workDir;
        copy.deleteWorkDirOnClose = deleteWorkDirOnClose;
        copy.port = port;
        copy.otherPort = otherPort;
        copy.stopTimeout = stopTimeout;
        copy.detached = detached;
        copy.jvmOptions.addAll(jvmOptions);
        if (copy.workDir == null) {
            copy.workDir = WorkDirs.moduleTarget().resolve(id + "-" + ProcessHandle.current().pid() + "-"
                    + WorkDirs.nextId());
            copy.deleteWorkDirOnClose = true;
        }
        if (port != 0 && port == otherPort) {
            throw new IllegalArgumentException(portName + " and " + otherPortName + " must differ, both were " + port);
        }
        return copy;
    }

    static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    private String requireSize(String size, String name) {
        if (size == null || !size.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException(
                    "heap " + name + " must look like " + heapExample + " or 1g, was " + size);
        }
        return size;
    }

    static int requirePort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a port must be 1-65535, was " + port);
        }
        return port;
    }

    private static Duration requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }
}
