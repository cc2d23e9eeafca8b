package io.annals.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error (me.tongfei:progressbar), or nothing when disabled or when standard error is
 * not a terminal, so that scripts and logs get no control characters.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** {@code max} is the amount of work in {@code unit}s, or -1 when unknown (an indefinite bar). */
    static Progress start(String task, long max, String unitName, long unitSize, boolean wanted) {
        if (!wanted || !interactive()) return new Progress(null);
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(System.err));
        if (unitName != null) b.setUnit(unitName, unitSize);
        return new Progress(b.build());
    }

    /**
     * True when this runs in a terminal. Before Java 22 {@code System.console()} is null when a stream is redirected;
     * from Java 22 on it is always there and {@code Console.isTerminal()} tells.
     */
    static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    void stepTo(long done) {
        if (bar != null) bar.stepTo(done);
    }

    void message(String text) {
        if (bar != null) bar.setExtraMessage(text);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
