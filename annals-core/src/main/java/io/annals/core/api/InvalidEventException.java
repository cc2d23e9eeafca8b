package io.annals.core.api;

/** An event or request that can never be stored as it is (missing type, id too long, bad JSON...). Nothing was written. */
public class InvalidEventException extends AnnalsException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
