package io.annals.server.internal;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Bearer-token authentication with scopes. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual} against every configured token, so the time taken tells nothing about how much of a
 * token was right or which token matched. With no tokens configured every request is let through.
 */
public final class Auth {
    private record Entry(byte[] digest, Set<Scope> scopes) {}

    private final List<Entry> entries = new ArrayList<>();

    public Auth(List<Settings.Token> tokens) {
        for (Settings.Token t : tokens) entries.add(new Entry(digest(t.token()), t.scopes()));
    }

    public boolean enabled() {
        return !entries.isEmpty();
    }

    /** Fails with a 401 or 403 problem unless the request's token has {@code needed}. */
    public void require(Context ctx, Collection<? extends RouteRole> needed) {
        if (!enabled() || needed.isEmpty()) return;
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new Problem(401, "unauthorized", "Unauthorized",
                    "this server needs a bearer token: send 'Authorization: Bearer <token>'")
                    .header("WWW-Authenticate", "Bearer realm=\"annals\"");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
            throw new Problem(401, "unauthorized", "Unauthorized",
                    "the Authorization header must be 'Bearer <token>'")
                    .header("WWW-Authenticate", "Bearer realm=\"annals\", error=\"invalid_request\"");
        }
        Set<Scope> granted = scopesOf(header.substring(7).trim());
        if (granted == null) {
            throw new Problem(401, "unauthorized", "Unauthorized", "the bearer token is not one this server accepts")
                    .header("WWW-Authenticate", "Bearer realm=\"annals\", error=\"invalid_token\"");
        }
        for (RouteRole role : needed) {
            Scope scope = (Scope) role;
            if (!granted.contains(scope)) {
                throw new Problem(403, "forbidden", "Forbidden",
                        "the token lacks the '" + scope.text() + "' scope that " + ctx.method() + " " + ctx.path() + " needs")
                        .with("requiredScope", scope.text())
                        .header("WWW-Authenticate",
                                "Bearer realm=\"annals\", error=\"insufficient_scope\", scope=\"" + scope.text() + "\"");
            }
        }
    }

    /** The scopes of a presented token, or null when no configured token matches. Checks every entry. */
    private Set<Scope> scopesOf(String presented) {
        byte[] d = digest(presented);
        Set<Scope> found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), d)) found = EnumSet.copyOf(e.scopes());
        }
        return found;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
