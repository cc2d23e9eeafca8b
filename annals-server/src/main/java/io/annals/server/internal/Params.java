package io.annals.server.internal;

import io.annals.core.api.Order;
import io.annals.core.api.codec.Times;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Strict query parameters: an unknown or repeated parameter, an empty value, a number out of range or a bad time is
 * a 400 problem that names the parameter and says what it takes.
 */
public final class Params {
    private static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final Map<String, List<String>> values;

    private Params(Map<String, List<String>> values) {
        this.values = values;
    }

    /** Reads the request's query parameters, refusing any not in {@code allowed} (listed in the message). */
    public static Params of(Context ctx, List<String> allowed) {
        Map<String, List<String>> values = ctx.queryParamMap();
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            String name = e.getKey();
            if (!allowed.contains(name)) {
                throw Problem.invalid("unknown query parameter '" + name + "'; " + ctx.method() + " " + ctx.endpointHandlerPath()
                        + (allowed.isEmpty() ? " takes no parameters" : " takes " + String.join(", ", allowed)))
                        .with("parameter", name);
            }
            if (e.getValue().size() > 1) {
                throw Problem.invalid("query parameter '" + name + "' is given " + e.getValue().size() + " times; give it once")
                        .with("parameter", name);
            }
        }
        return new Params(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value, or null when absent; an empty value is refused. */
    public String text(String name) {
        List<String> v = values.get(name);
        if (v == null) return null;
        String s = v.get(0);
        if (s.isEmpty())
            throw Problem.invalid("query parameter '" + name + "' is empty; give it a value or leave it out").with("parameter", name);
        return s;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        String s = text(name);
        if (s == null) return defaultValue;
        try {
            int n = Integer.parseInt(s);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw Problem.invalid(name + " must be a whole number from " + min + " to " + max + ", not '" + s + "'")
                .with("parameter", name);
    }

    public Instant time(String name) {
        String s = text(name);
        if (s == null) return null;
        Instant t;
        try {
            t = Times.parse(s, name);
        } catch (RuntimeException e) {
            String hint = s.contains(" ") ? " (a '+' in a URL means a space: write the offset's + as %2B)" : "";
            throw Problem.invalid(e.getMessage() + hint).with("parameter", name);
        }
        if (t.isBefore(MIN_TIME) || t.isAfter(MAX_TIME))
            throw Problem.invalid(name + " must lie between the years 1 and 9999, not " + s).with("parameter", name);
        return t;
    }

    public Order order() {
        String s = text("order");
        if (s == null) return Order.ASC;
        try {
            return Order.parse(s);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage()).with("parameter", "order");
        }
    }
}
