package io.annals.client.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Builds request URIs under a base URI; the base may carry a path prefix (for a server behind a proxy). */
public final class Urls {
    private final String base;

    public Urls(URI baseUri) {
        String text = baseUri.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** {@code path} starts with a slash and is already encoded. */
    public URI resolve(String path, Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((k, v) -> {
            if (v != null) query.add(k + "=" + encodeParam(v));
        });
        return URI.create(base + path + (query.length() == 0 ? "" : "?" + query));
    }

    public URI resolve(String path) {
        return resolve(path, Map.of());
    }

    /** Percent-encodes one path segment (a space becomes %20, a slash %2F). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String encodeParam(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An insertion-ordered parameter map that skips null values. */
    public static Map<String, String> params() {
        return new LinkedHashMap<>();
    }

    /** The value of parameter {@code name} in a URL or a relative reference such as a continuation, or null. */
    public static String param(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) return null;
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
