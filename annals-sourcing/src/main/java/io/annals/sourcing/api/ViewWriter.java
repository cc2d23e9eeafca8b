package io.annals.sourcing.api;

import java.nio.charset.StandardCharsets;

/**
 * What a {@link ViewHandler} reads and writes the view's entries with. Reads see the writes made so far, also those
 * not committed yet; the writes are committed together with the view's checkpoint, in one atomic batch, after the
 * event (or a few events) that made them, so they never hold without the checkpoint that says they were made, nor
 * the other way round. Only for use on the handler's thread, during its call.
 */
public interface ViewWriter extends ViewData {

    void put(String space, String key, byte[] value);

    void delete(String space, String key);

    /** Puts {@code value} as UTF-8 text. */
    default void put(String space, String key, String value) {
        put(space, key, value.getBytes(StandardCharsets.UTF_8));
    }
}
