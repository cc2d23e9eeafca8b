package io.annals.devservers;

/**
 * A forked server could not be started or stopped: no suitable Java, a stale build-time classpath, a start-up
 * failure or time-out. The message says what went wrong and, where the server logged something, ends with the
 * tail of its log.
 */
public class DevServerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what to do. */
    public DevServerException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public DevServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
