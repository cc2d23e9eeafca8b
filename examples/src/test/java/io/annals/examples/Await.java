package io.annals.examples;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for views to apply what was appended. A view applies events in capture order, so once the effect of the
 * last event appended shows, every earlier one was applied too. No assertion on time: the deadline only ends a
 * test that would otherwise hang.
 */
public final class Await {
    private Await() {}

    public static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("waited in vain for " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
