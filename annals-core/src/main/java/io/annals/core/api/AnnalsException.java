package io.annals.core.api;

/**
 * The root of every error annals reports on purpose. {@link #isTransient()} says whether retrying the same call
 * may succeed (the store was unavailable) or not (the request itself was refused).
 */
public abstract class AnnalsException extends RuntimeException {
    protected AnnalsException(String message) {
        super(message);
    }

    protected AnnalsException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract boolean isTransient();
}
