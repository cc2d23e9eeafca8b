package io.annals.cli;

import io.annals.client.AnnalsClient;
import io.annals.core.api.Event;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code annals get ID}: prints one event as JSON. */
@Command(name = "get", description = "Print one event by id.", mixinStandardHelpOptions = true)
final class GetCommand implements Callable<Integer> {
    @ParentCommand AnnalsCommand root;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The event's id.")
    String id;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "annals", converter = Formats.Output.class,
            description = "annals (default) or cloudevents.")
    EventFormat format;

    @Override
    public Integer call() {
        try (AnnalsClient client = root.client()) {
            Event e = client.get(id).orElseThrow(() -> new CliException("no event with id '" + id + "'"));
            spec.commandLine().getOut().println(format.write(e));
            spec.commandLine().getOut().flush();
            return AnnalsCommand.OK;
        }
    }
}
