package io.annals.core.api;

/** An event was appended with the id of a stored event whose content differs. Nothing was written. */
public class DuplicateIdConflictException extends AnnalsException {
    private final String eventId;

    public DuplicateIdConflictException(String eventId) {
        super("an event with id '" + eventId + "' is already stored with different content;"
                + " use a new id for a new event, or repeat the stored event exactly");
        this.eventId = eventId;
    }

    public String eventId() {
        return eventId;
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
