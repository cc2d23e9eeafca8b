package io.annals.examples.lightbulbs;

import io.annals.core.api.AppendResult;
import io.annals.examples.lightbulbs.LightbulbEvent.Blown;
import io.annals.examples.lightbulbs.LightbulbEvent.Created;
import io.annals.examples.lightbulbs.LightbulbEvent.ScrewedIn;
import io.annals.examples.lightbulbs.LightbulbEvent.SwitchedOff;
import io.annals.examples.lightbulbs.LightbulbEvent.SwitchedOn;
import io.annals.sourcing.api.Commands;
import io.annals.sourcing.api.Sourcing;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The lightbulb example's command handler: each command loads a bulb's state, refuses what makes no sense for it
 * (with an {@link IllegalStateException} that says what to do), and appends what happens, stamped by {@code clock},
 * expecting the version it loaded ({@link Commands}). Commands for one bulb run one at a time, and a conflict with
 * another process is decided again, so a bulb is never switched on twice in a row. The methods block; thread-safe.
 */
public final class LightbulbCommands {
    private final Commands<Lightbulb, LightbulbEvent> commands;

    public LightbulbCommands(Sourcing sourcing, Executor pool, Clock clock) {
        this.commands = sourcing.commands(Lightbulb.FOLD).executor(pool).clock(clock).build();
    }

    /** Creates bulb {@code id}; refused when it exists. */
    public AppendResult create(String id, int wattage) {
        if (wattage <= 0) throw new IllegalArgumentException("a lightbulb needs a wattage above 0, not " + wattage);
        return commands.execute(id, bulb -> {
            if (bulb.exists()) throw new IllegalStateException("lightbulb " + id + " exists: choose another id");
            return List.of(new Created(wattage));
        });
    }

    /** Screws bulb {@code id} in at {@code location}; refused when it does not exist or has blown. */
    public AppendResult screwIn(String id, String location) {
        return commands.execute(id, bulb -> {
            usable(id, bulb);
            return List.of(new ScrewedIn(location));
        });
    }

    // guide:lightbulb-commands
    /** Switches bulb {@code id} on; nothing to do when it is on; refused when it is not screwed in or has blown. */
    public AppendResult switchOn(String id) {
        return commands.execute(id, bulb -> {
            usable(id, bulb);
            if (bulb.location() == null)
                throw new IllegalStateException("lightbulb " + id + " is not screwed in: screw it in first");
            return bulb.lit() ? List.of() : List.of(new SwitchedOn());
        });
    }
    // end

    /** Switches bulb {@code id} off; nothing to do when it is off. */
    public AppendResult switchOff(String id) {
        return commands.execute(id, bulb -> bulb.lit() ? List.of(new SwitchedOff()) : List.of());
    }

    /** Records that bulb {@code id} blew; nothing to do when it had. */
    public AppendResult blow(String id) {
        return commands.execute(id, bulb -> bulb.blown() ? List.of() : List.of(new Blown()));
    }

    /** How many times a command was decided again after a conflict with another process. */
    public long retries() {
        return commands.retries();
    }

    private static void usable(String id, Lightbulb bulb) {
        if (!bulb.exists()) throw new IllegalStateException("no lightbulb " + id + ": create it first");
        if (bulb.blown()) throw new IllegalStateException("lightbulb " + id + " has blown: replace it");
    }
}
