package io.annals.cli;

import io.annals.client.AnnalsClient;
import io.annals.core.api.AnnalsException;
import java.io.InputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top-level {@code annals} command. Its options {@code --url} and {@code --token} are global: they may be
 * given before or after the subcommand's name. Exit codes: 0 done, 1 failed, 2 bad usage.
 */
@Command(name = "annals", mixinStandardHelpOptions = true, versionProvider = AnnalsCommand.Version.class,
        description = "An event store and event-processing platform for the JVM.",
        subcommands = {ServeCommand.class, PostCommand.class, GetCommand.class, QueryCommand.class, TailCommand.class,
                ImportCommand.class, ExportCommand.class, BackupCommand.class, RestoreCommand.class, DevCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:failed (the reason is on standard error)", "2:bad usage"},
        footer = {"", "Every command: docs/cli.md. Settings of 'serve': docs/configuration.md."},
        usageHelpAutoWidth = true)
public final class AnnalsCommand implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:ANNALS_URL:-http://localhost:8080}",
            description = "The server's address (env ANNALS_URL; default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN", defaultValue = "${env:ANNALS_TOKEN}",
            description = "A bearer token for servers with authentication (env ANNALS_TOKEN).")
    String token;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    /** Where commands read standard input from; tests replace it. */
    InputStream stdin = System.in;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, for example 'annals serve'");
    }

    /** A client for {@code --url} and {@code --token}. */
    AnnalsClient client() {
        try {
            return AnnalsClient.builder().baseUri(url).token(token == null || token.isEmpty() ? null : token).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url/--token: " + e.getMessage());
        }
    }

    /**
     * A command line with annals' error handling: usage errors print the problem and the usage and exit 2;
     * failures print one clear line ("error: ...") and exit 1, with the stack trace only under --verbose.
     */
    public static CommandLine commandLine(AnnalsCommand root) {
        CommandLine cl = new CommandLine(root);
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? USAGE : FAILED);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CommandLine.ParameterException p) throw p;
            commandLine.getErr().println("error: " + describe(e));
            if (root.verbose) e.printStackTrace(commandLine.getErr());
            commandLine.getErr().flush();
            return FAILED;
        });
        return cl;
    }

    static String describe(Throwable e) {
        if (e instanceof AnnalsException || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof UnsupportedOperationException || e instanceof CliException)
            return e.getMessage();
        if (e.getClass().getSimpleName().endsWith("BindException") && e.getMessage() != null)
            return e.getMessage(); // the port is taken: Javalin's and the JDK's messages say so plainly
        if (e instanceof java.nio.file.NoSuchFileException n) return "no such file: " + n.getFile();
        if (e instanceof java.nio.file.AccessDeniedException a) return "permission denied: " + a.getFile();
        if (e instanceof java.io.UncheckedIOException u) return describe(u.getCause());
        return e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The version from the jar's manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AnnalsCommand.class.getPackage().getImplementationVersion();
            return new String[] {"annals " + (v == null ? "dev" : v)};
        }
    }
}
