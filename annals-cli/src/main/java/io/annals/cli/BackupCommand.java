package io.annals.cli;

import io.annals.client.AnnalsClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code annals backup DIR}: asks a running server for a consistent checkpoint of its store
 * ({@code POST /api/admin/backup}, scope admin). The server writes it, so DIR is a path on the server's machine;
 * a relative DIR is made absolute here, which is right when the server runs on this machine.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Have the running server write a consistent checkpoint of its store into DIR.",
                "DIR must not exist yet. Restore it with 'annals restore DIR' while the server is stopped."})
final class BackupCommand implements Callable<Integer> {
    @ParentCommand AnnalsCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Where the server writes the checkpoint (must not exist).")
    Path dir;

    @Override
    public Integer call() {
        String target = dir.toAbsolutePath().normalize().toString();
        try (AnnalsClient client = root.client()) {
            var answer = client.backup(target);
            spec.commandLine().getOut().println("checkpoint written to " + answer.path("target").asText(target));
            spec.commandLine().getOut().flush();
        }
        return AnnalsCommand.OK;
    }
}
