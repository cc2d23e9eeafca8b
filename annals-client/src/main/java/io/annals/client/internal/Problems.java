package io.annals.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.annals.client.AnnalsHttpException;
import io.annals.client.ForbiddenException;
import io.annals.client.Problem;
import io.annals.client.UnauthorizedException;
import io.annals.core.api.AggregateId;
import io.annals.core.api.AnnalsException;
import io.annals.core.api.DuplicateIdConflictException;
import io.annals.core.api.ExpectedVersion;
import io.annals.core.api.InvalidEventException;
import io.annals.core.api.StoreUnavailableException;
import io.annals.core.api.WrongExpectedVersionException;
import io.annals.core.api.codec.Json;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;

/** Turns error answers and transport failures into typed exceptions. */
public final class Problems {
    private Problems() {}

    /** Reads the problem detail of an error answer; makes one up when the body is not problem JSON. */
    public static Problem read(int status, byte[] body) {
        try {
            JsonNode n = body.length == 0 ? null : Json.mapper().readTree(body);
            if (n != null && n.isObject()) {
                return new Problem(n.path("type").asText("about:blank"), n.path("title").asText(null),
                        n.path("status").asInt(status), n.path("detail").asText(null), n);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: fall through
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.length() > 300) text = text.substring(0, 300) + "...";
        return Problem.synthetic(status, text.isEmpty() ? "the server answered HTTP " + status + " without a body" : text);
    }

    /** The exception for an error answer: a core exception where one fits, else an {@link AnnalsHttpException}. */
    public static AnnalsException toException(int status, byte[] body, String retryAfter) {
        Problem p = read(status, body);
        switch (status) {
            case 400:
                return new InvalidEventException(p.message());
            case 401:
                return new UnauthorizedException(p);
            case 403:
                return new ForbiddenException(p);
            case 409:
                if (p.slug().equals("wrong-expected-version")) return wrongVersion(p);
                if (p.slug().equals("duplicate-id-conflict") && p.members().hasNonNull("eventId"))
                    return new DuplicateIdConflictException(p.members().get("eventId").asText());
                return new AnnalsHttpException(p);
            case 503:
                return new StoreUnavailableException(p.message()
                        + (retryAfter == null ? "" : " (the server asks to retry after " + retryAfter + " s)"), null);
            default:
                return new AnnalsHttpException(p);
        }
    }

    private static AnnalsException wrongVersion(Problem p) {
        JsonNode m = p.members();
        JsonNode stream = m.path("stream");
        try {
            AggregateId id = AggregateId.of(stream.path("type").asText(), stream.path("id").asText());
            ExpectedVersion expected = ExpectedVersion.parse(m.path("expectedVersion").asText());
            return new WrongExpectedVersionException(id, expected, m.path("actualVersion").asLong());
        } catch (RuntimeException e) {
            // the server left out a member: keep what it said
            return new AnnalsHttpException(p);
        }
    }

    /** A failure to reach the server at all: the store is unavailable from here, and a retry may succeed. */
    public static StoreUnavailableException transport(URI uri, Throwable cause) {
        String what;
        if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
            what = "cannot connect to " + uri.getScheme() + "://" + uri.getAuthority()
                    + " (is the server running? start one with 'annals serve')";
        } else if (cause instanceof javax.net.ssl.SSLException) {
            what = "the TLS handshake with " + uri.getScheme() + "://" + uri.getAuthority() + " failed: "
                    + cause.getMessage() + " (is the server's certificate trusted? see AnnalsClient.Builder.sslContext"
                    + " or -Djavax.net.ssl.trustStore)";
        } else if (cause instanceof HttpTimeoutException) {
            what = "no answer from " + uri + " within the request timeout";
        } else {
            what = "the request to " + uri + " failed: " + cause;
        }
        return new StoreUnavailableException(what, cause);
    }
}
