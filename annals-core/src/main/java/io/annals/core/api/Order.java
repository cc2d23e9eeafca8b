package io.annals.core.api;

/** The direction of a read: oldest first ({@link #ASC}) or newest first ({@link #DESC}). */
public enum Order {
    ASC, DESC;

    public static Order parse(String text) {
        return switch (text) {
            case "asc" -> ASC;
            case "desc" -> DESC;
            default -> throw new IllegalArgumentException("order must be asc or desc, not '" + text + "'");
        };
    }

    public String text() {
        return this == ASC ? "asc" : "desc";
    }
}
