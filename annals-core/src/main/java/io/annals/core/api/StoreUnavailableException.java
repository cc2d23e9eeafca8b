package io.annals.core.api;

/** The storage engine could not be reached or is closing; the call may succeed if retried later. */
public class StoreUnavailableException extends AnnalsException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
