package io.annals.core.api;

/**
 * What an append expects of its aggregate stream's current version: {@link #any()} (no check),
 * {@link #noStream()} (the stream must not exist: version 0) or {@link #exactly(long)}.
 */
public sealed interface ExpectedVersion {

    static ExpectedVersion any() {
        return Any.INSTANCE;
    }

    static ExpectedVersion noStream() {
        return NoStream.INSTANCE;
    }

    static ExpectedVersion exactly(long version) {
        return new Exactly(version);
    }

    /** Parses the JSON/HTTP form: {@code any}, {@code noStream} or a non-negative number. */
    static ExpectedVersion parse(String text) {
        if (text.equals("any")) return any();
        if (text.equals("noStream")) return noStream();
        try {
            return exactly(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "expectedVersion must be \"any\", \"noStream\" or a stream version number, not '" + text + "'");
        }
    }

    /** True when a stream at {@code actual} satisfies this expectation. */
    boolean matches(long actual);

    /** The JSON/HTTP form. */
    String text();

    record Any() implements ExpectedVersion {
        static final Any INSTANCE = new Any();
        public boolean matches(long actual) { return true; }
        public String text() { return "any"; }
    }

    record NoStream() implements ExpectedVersion {
        static final NoStream INSTANCE = new NoStream();
        public boolean matches(long actual) { return actual == 0; }
        public String text() { return "noStream"; }
    }

    record Exactly(long version) implements ExpectedVersion {
        public Exactly {
            if (version < 0) throw new IllegalArgumentException("an expected version must be >= 0, not " + version);
        }
        public boolean matches(long actual) { return actual == version; }
        public String text() { return Long.toString(version); }
    }
}
