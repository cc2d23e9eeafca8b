package io.annals.sourcing.api;

import io.annals.core.api.KeyValues;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The entries of a {@link View}: keys in spaces, like {@link KeyValues} but private to the view (its spaces do not
 * meet other views' or a previous generation's). A space is the unit of ordered reads; keep each one bounded
 * (thousands of keys), spreading big sets over several spaces (buckets). Space names may be up to
 * {@value #MAX_SPACE_LENGTH} characters. What is thrown is what {@link KeyValues} throws.
 */
public interface ViewData {
    int MAX_SPACE_LENGTH = 160;

    Optional<byte[]> get(String space, String key);

    /** Up to {@code limit} (1 to 10,000) entries of {@code space} whose keys sort after {@code after} ("" from the start). */
    List<KeyValues.Entry> scan(String space, String after, int limit);

    /** The value of {@code key} as UTF-8 text. */
    default Optional<String> getString(String space, String key) {
        return get(space, key).map(v -> new String(v, StandardCharsets.UTF_8));
    }
}
