package io.annals.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the annals command in this JVM, capturing what it prints. */
final class Cli {
    private Cli() {}

    record Result(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isBlank() ? List.of() : out.lines().toList();
        }
    }

    static Result run(String... args) {
        return runWithInput("", args);
    }

    static Result runWithInput(String stdin, String... args) {
        AnnalsCommand root = new AnnalsCommand();
        root.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        CommandLine cl = AnnalsCommand.commandLine(root);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code args} against the server at {@code url}. */
    static Result at(String url, String... args) {
        List<String> all = new ArrayList<>(List.of("--url", url));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }
}
