package io.annals.cli;

/** A failure the CLI explains in one line (exit code 1); the message is shown as is. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
