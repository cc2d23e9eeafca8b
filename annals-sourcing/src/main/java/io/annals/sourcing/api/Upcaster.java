package io.annals.sourcing.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Turns one old form of an event (a type name and version) into the next one, possibly under a new name:
 * {@code Upcaster.from("parcel.delivered", 1).to(2, payload -> payload.put("signedBy", "unknown"))}.
 * A domain chains its upcasters until an event reaches the current form of a record; it checks at start-up that
 * every chain ends at a current form. The function gets a copy of the payload and may change it in place. Immutable.
 */
public record Upcaster(String fromName, int fromVersion, String toName, int toVersion, UnaryOperator<ObjectNode> change) {

    public Upcaster {
        Objects.requireNonNull(fromName, "fromName");
        Objects.requireNonNull(toName, "toName");
        Objects.requireNonNull(change, "change");
        if (fromName.equals(toName) && toVersion <= fromVersion)
            throw new IllegalArgumentException("an upcaster of " + fromName + " must go to a later version than "
                    + fromVersion + ", not " + toVersion);
    }

    public static From from(String name, int version) {
        return new From(name, version);
    }

    /** Applies this step to {@code old}, which must be in this step's source form. */
    public EventData apply(EventData old) {
        ObjectNode changed = change.apply(old.payload().deepCopy());
        if (changed == null)
            throw new IllegalStateException("the upcaster from " + fromName + " v" + fromVersion + " returned null");
        return new EventData(toName, toVersion, changed);
    }

    /** The first half of the phrase {@code Upcaster.from(name, version).to(...)}. */
    public record From(String name, int version) {
        /** Same name, a later version. */
        public Upcaster to(int newVersion, UnaryOperator<ObjectNode> change) {
            return new Upcaster(name, version, name, newVersion, change);
        }

        /** A renamed event type. */
        public Upcaster to(String newName, int newVersion, UnaryOperator<ObjectNode> change) {
            return new Upcaster(name, version, newName, newVersion, change);
        }
    }
}
