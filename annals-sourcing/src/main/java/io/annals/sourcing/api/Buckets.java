package io.annals.sourcing.api;

import io.annals.core.api.KeyValues;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Spreads a set of aggregate ids over a fixed number of view spaces (so that each stays bounded) and pages through
 * them, bucket after bucket, each in key order. The continuation is {@code <bucket>:<last id>}.
 */
final class Buckets {
    static final byte[] EMPTY = {};
    private final int count;

    Buckets(int count) {
        if (count < 1 || count > 4096)
            throw new IllegalArgumentException("the number of buckets must be 1 to 4096, not " + count);
        this.count = count;
    }

    int of(String aggregateId) {
        return Math.floorMod(aggregateId.hashCode(), count); // String.hashCode is specified, so stable across runs
    }

    IdPage page(ViewData data, IntFunction<String> space, String continuation, int limit) {
        if (limit < 1 || limit > 10_000) throw new IllegalArgumentException("a page's limit must be 1 to 10,000, not " + limit);
        int bucket = 0;
        String after = "";
        if (continuation != null) {
            int colon = continuation.indexOf(':');
            try {
                bucket = Integer.parseInt(continuation.substring(0, Math.max(colon, 0)));
            } catch (NumberFormatException e) {
                bucket = -1;
            }
            if (colon < 0 || bucket < 0 || bucket >= count)
                throw new IllegalArgumentException("'" + continuation + "' is not a continuation of this index: pass"
                        + " the next of the previous page, or null for the first page");
            after = continuation.substring(colon + 1);
        }
        List<String> ids = new ArrayList<>();
        for (; bucket < count; bucket++, after = "") {
            for (KeyValues.Entry e : data.scan(space.apply(bucket), after, limit - ids.size())) ids.add(e.key());
            if (ids.size() == limit) return new IdPage(ids, bucket + ":" + ids.get(ids.size() - 1));
        }
        return new IdPage(ids, null);
    }
}
