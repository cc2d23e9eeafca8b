package io.annals.core.internal;

import io.annals.core.api.Checkpoints;
import io.annals.core.api.Position;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The facade's view of an engine's {@link Checkpoints}: checks names (and prefixes) before the engine sees them, so
 * engines may assume well-formed names of 1 to {@value #MAX_NAME_LENGTH} characters.
 */
final class CheckedCheckpoints implements Checkpoints {
    static final int MAX_NAME_LENGTH = 256;

    private final Checkpoints engine;

    CheckedCheckpoints(Checkpoints engine) {
        this.engine = Objects.requireNonNull(engine);
    }

    @Override
    public Optional<Position> get(String name) {
        return engine.get(checkName(name));
    }

    @Override
    public void put(String name, Position position) {
        engine.put(checkName(name), Objects.requireNonNull(position, "position"));
    }

    @Override
    public void delete(String name) {
        engine.delete(checkName(name));
    }

    @Override
    public Map<String, Position> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return engine.list(prefix.isEmpty() ? prefix : check(prefix, "prefix"));
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        return check(name, "name");
    }

    private static String check(String text, String what) {
        return wellFormed(text, "checkpoint " + what, MAX_NAME_LENGTH);
    }

    /** Checks that {@code text} is 1 to {@code max} characters of well-formed Unicode; {@code what} names it in the message. */
    static String wellFormed(String text, String what, int max) {
        if (text.isEmpty() || text.length() > max)
            throw new IllegalArgumentException("a " + what + " must be 1 to " + max
                    + " characters long, not " + text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) i++;
            else if (Character.isSurrogate(c))
                throw new IllegalArgumentException(what + " '" + text + "' holds half a surrogate pair at index "
                        + i + "; it must be well-formed Unicode");
        }
        return text;
    }
}
