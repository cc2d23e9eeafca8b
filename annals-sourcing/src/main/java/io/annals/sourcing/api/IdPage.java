package io.annals.sourcing.api;

import java.util.List;
import java.util.Objects;

/**
 * A page of aggregate ids from an {@link AttributeIndex} or a {@link Catalogue}.
 *
 * @param next the continuation to pass for the next page; null when this is the last page (a page can be full and
 *             still be followed by an empty last page)
 */
public record IdPage(List<String> ids, String next) {

    public IdPage {
        ids = List.copyOf(Objects.requireNonNull(ids, "ids"));
    }

    public boolean hasNext() {
        return next != null;
    }
}
