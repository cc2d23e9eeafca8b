package io.annals.sourcing.api;

import io.annals.core.api.KeyValues;
import io.annals.core.api.Position;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Where one view keeps its data in the key-values: its checkpoint and lease in the space {@code view:NAME}, the
 * entries of generation G in spaces {@code view:NAME:G:SPACE}, and a registry of those spaces, spread over
 * {@value #REGISTRY_BUCKETS} spaces {@code view:NAME:G#B}, so that a generation can be dropped space by space.
 */
final class ViewLayout {
    private static final String CHECKPOINT = "checkpoint";
    private static final int REGISTRY_BUCKETS = 16;
    private static final byte[] PRESENT = {1};

    /** Where a view stands: the generation of its entries and the log position applied to them. */
    record Checkpoint(long generation, Position position) {}

    private final KeyValues store;
    /** The space of the checkpoint and the lease. */
    final String meta;

    ViewLayout(KeyValues store, String view) {
        this.store = store;
        this.meta = "view:" + view;
    }

    Checkpoint readCheckpoint() {
        return store.get(meta, CHECKPOINT).map(ViewLayout::decode).orElse(new Checkpoint(0, Position.start()));
    }

    /** Moves the checkpoint to the start of a new generation (nothing applied to it yet). */
    void startGeneration(long generation) {
        store.put(meta, CHECKPOINT, encode(new Checkpoint(generation, Position.start())));
    }

    /** Adds to {@code batch} the checkpoint and the registry rows of the spaces {@code added} (new to the registry). */
    void commit(KeyValues.Batch batch, Checkpoint checkpoint, List<String> added) {
        for (String space : added) batch.put(registry(checkpoint.generation(), space), space, PRESENT);
        batch.put(meta, CHECKPOINT, encode(checkpoint));
    }

    /** The real space of a view's space in a generation; a bad name fails with a message. */
    String space(long generation, String space) {
        Objects.requireNonNull(space, "space");
        if (space.isEmpty() || space.length() > ViewData.MAX_SPACE_LENGTH)
            throw new IllegalArgumentException("a view's space name must be 1 to " + ViewData.MAX_SPACE_LENGTH
                    + " characters, not " + space.length());
        return meta + ":" + generation + ":" + space;
    }

    /** Deletes the entries of a generation, space by space, as its registry lists them. */
    void drop(long generation) {
        for (int b = 0; b < REGISTRY_BUCKETS; b++) {
            String registry = meta + ":" + generation + "#" + b;
            for (List<KeyValues.Entry> spaces; !(spaces = store.scan(registry, "", 100)).isEmpty(); ) {
                for (KeyValues.Entry space : spaces) {
                    for (List<KeyValues.Entry> entries; !(entries = store.scan(space.key(), "", 100)).isEmpty(); ) {
                        KeyValues.Batch batch = new KeyValues.Batch();
                        entries.forEach(e -> batch.delete(space.key(), e.key()));
                        store.write(batch);
                    }
                    store.delete(registry, space.key());
                }
            }
        }
    }

    private String registry(long generation, String realSpace) {
        return meta + ":" + generation + "#" + Math.floorMod(realSpace.hashCode(), REGISTRY_BUCKETS);
    }

    private static byte[] encode(Checkpoint c) {
        return (c.generation() + "\n" + c.position().value()).getBytes(StandardCharsets.UTF_8);
    }

    private static Checkpoint decode(byte[] value) {
        String s = new String(value, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return new Checkpoint(Long.parseLong(s.substring(0, nl)), Position.of(s.substring(nl + 1)));
    }
}
