package io.annals.client;

import io.annals.core.api.AnnalsException;

/**
 * The server refused a request for a reason that has no core exception (authentication, a missing route, an
 * oversized body, a server bug...). Carries the HTTP status and the server's problem detail. Transient for
 * 429 and 5xx answers (retrying later may help), permanent otherwise.
 */
public class AnnalsHttpException extends AnnalsException {
    private final int status;
    private final Problem problem;

    public AnnalsHttpException(Problem problem) {
        super("HTTP " + problem.status() + ": " + problem.message());
        this.status = problem.status();
        this.problem = problem;
    }

    /** The HTTP status code of the answer. */
    public int status() {
        return status;
    }

    /** The problem detail the server sent (or one the client made up when the answer had none). */
    public Problem problem() {
        return problem;
    }

    @Override
    public boolean isTransient() {
        return status == 429 || status >= 500;
    }
}
