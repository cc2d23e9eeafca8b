package io.annals.server.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem the server answers with: thrown anywhere in a handler, written as
 * {@code application/problem+json} by {@link ProblemWriter}. {@code slug} names the problem type
 * ({@code https://annals.io/problems/<slug>}); {@code extensions} are extra members; {@code headers} extra headers.
 */
public final class Problem extends RuntimeException {
    public static final String TYPE_BASE = "https://annals.io/problems/";

    private final int status;
    private final String slug;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public Problem(int status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public static Problem invalid(String detail) {
        return new Problem(400, "invalid-request", "Invalid request", detail);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail);
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, "unavailable", "Service unavailable", detail).header("Retry-After", "5");
    }

    public static Problem internal() {
        return new Problem(500, "internal", "Internal server error",
                "the server failed on this request; the server log has the details (this is a bug)");
    }

    public Problem with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    public Problem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() { return status; }
    public String slug() { return slug; }
    public String type() { return TYPE_BASE + slug; }
    public String title() { return title; }
    public String detail() { return getMessage(); }
    public Map<String, Object> extensions() { return extensions; }
    public Map<String, String> headers() { return headers; }
}
