package io.annals.devservers;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Main class of a JVM that {@link ForkedParentTest} starts and kills: it starts an attached node and a detached
 * (dev) node side by side, prints their process ids and waits to be killed.
 */
public final class ForkedParent {

    private ForkedParent() {
    }

    public static void main(String[] args) throws Exception {
        Path attachedDir = Path.of(args[0]);
        Path devDir = Path.of(args[1]);
        CompletableFuture<Long> dev = CompletableFuture.supplyAsync(() -> DevCassandra.start(devDir, 0).pid());
        CassandraNode attached = CassandraNode.builder().workDir(attachedDir).build().start();
        System.out.println("ATTACHED_PID=" + attached.pid());
        System.out.println("DEV_PID=" + dev.get());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
