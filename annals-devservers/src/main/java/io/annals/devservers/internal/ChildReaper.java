package io.annals.devservers.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Kills forked servers that are still running when this JVM exits (one shutdown hook for all of them). Together
 * with {@link ChildMain}'s stdin watch this keeps servers from outliving a test run: the hook covers normal exits
 * and signals, the stdin watch covers SIGKILL and crashes.
 */
public final class ChildReaper {

    private static final Set<ProcessHandle> CHILDREN = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private ChildReaper() {
    }

    /** Kills the process when this JVM exits, unless {@link #forget} is called first. */
    public static void register(ProcessHandle child) {
        installHook();
        CHILDREN.add(child);
    }

    /** The process was stopped already, or is meant to outlive this JVM. */
    public static void forget(ProcessHandle child) {
        CHILDREN.remove(child);
    }

    private static synchronized void installHook() {
        if (hookInstalled) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(ChildReaper::killAll, "annals-devservers-reaper"));
        hookInstalled = true;
    }

    private static void killAll() {
        for (ProcessHandle child : CHILDREN) {
            child.destroyForcibly();
        }
        for (ProcessHandle child : CHILDREN) {
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Nothing more can be done while exiting.
            }
        }
    }
}
