package io.annals.cli;

/** The entry point of {@code annals.jar}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = AnnalsCommand.commandLine(new AnnalsCommand()).execute(args);
        // serve keeps the JVM alive through its own non-daemon threads and returns only when asked to stop
        System.exit(code);
    }
}
