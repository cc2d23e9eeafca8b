package io.annals.server.internal;

import io.javalin.security.RouteRole;
import java.util.Locale;

/** What a bearer token may do: read events, write (append) them, or administer the store (backups). */
public enum Scope implements RouteRole {
    READ, WRITE, ADMIN;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope parse(String text) {
        for (Scope s : values()) if (s.text().equals(text)) return s;
        throw new IllegalArgumentException("'" + text + "' is not a scope; the scopes are read, write and admin");
    }
}
