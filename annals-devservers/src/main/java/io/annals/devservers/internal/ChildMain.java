package io.annals.devservers.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;

/**
 * Main class of a forked server JVM: ties the server's life to its parent's, then runs the server's own main.
 *
 * <p>When the system property {@value #WATCH_STDIN} is {@code true}, a daemon thread reads standard input (a pipe
 * held open by the parent) and exits the process when it reaches end of file, which happens when the parent dies
 * in any way, SIGKILL included. The first argument is the server's main class; the rest are passed to it.
 *
 * <p>This class is copied as a lone class file next to the server's jars, so it must use the JDK only and must not
 * have nested or anonymous classes (lambdas are fine: they leave no class file).
 */
public final class ChildMain {

    /** System property that turns the parent watch on. */
    public static final String WATCH_STDIN = "annals.devservers.exitOnStdinEof";

    private ChildMain() {
    }

    /**
     * Starts the watcher, then the server.
     *
     * @param args the server's main class, then its arguments
     * @throws Exception whatever the server's main throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ChildMain <main class> [args...]");
        }
        if (Boolean.getBoolean(WATCH_STDIN)) {
            Thread watcher = new Thread(() -> watch(System.in), "annals-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) rest);
    }

    private static void watch(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // The parent never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone, like end of file.
        }
        System.err.println("annals-devservers: parent process is gone (stdin closed), exiting");
        // Shutdown hooks get a few seconds; a server stuck in them must not outlive its parent.
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(1);
        }, "annals-parent-watch-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(1);
    }
}
