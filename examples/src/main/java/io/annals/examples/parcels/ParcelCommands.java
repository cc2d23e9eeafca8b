package io.annals.examples.parcels;

import io.annals.core.api.AppendResult;
import io.annals.examples.parcels.ParcelEvent.Delivered;
import io.annals.examples.parcels.ParcelEvent.LoadedOntoTruck;
import io.annals.sourcing.api.Commands;
import io.annals.sourcing.api.Sourcing;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The parcel example's command handler, for the depot's own decisions (the scans of depots and handsets arrive as
 * events): each command loads the parcel, refuses what its state does not allow with an
 * {@link IllegalStateException} that says why, and appends with a version check ({@link Commands}), so two loads of
 * one parcel at once put it on one truck. The methods block; thread-safe.
 */
public final class ParcelCommands {
    private final Commands<Parcel, ParcelEvent> commands;

    public ParcelCommands(Sourcing sourcing, Executor pool, Clock clock) {
        this.commands = sourcing.commands(Parcel.FOLD).executor(pool).clock(clock).build();
    }

    /** Loads parcel {@code id} onto {@code truck}; refused unless the parcel is at a depot. */
    public AppendResult loadOntoTruck(String id, String truck) {
        return commands.execute(id, parcel -> {
            if (parcel.status() != Parcel.Status.AT_DEPOT)
                throw new IllegalStateException("parcel " + id + " is " + parcel.status() + ", not at a depot: only a"
                        + " parcel received at a depot (or back from a failed delivery) can be loaded");
            return List.of(new LoadedOntoTruck(truck));
        });
    }

    /** Records that parcel {@code id} was delivered; refused unless it is out for delivery. */
    public AppendResult deliver(String id, String signedBy) {
        return commands.execute(id, parcel -> {
            if (parcel.status() != Parcel.Status.OUT_FOR_DELIVERY)
                throw new IllegalStateException("parcel " + id + " is " + parcel.status() + ", not out for delivery:"
                        + " load it onto a truck first");
            return List.of(new Delivered(signedBy));
        });
    }
}
