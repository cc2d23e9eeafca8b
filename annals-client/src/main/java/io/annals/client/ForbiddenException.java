package io.annals.client;

/** 403: the bearer token is valid but lacks the scope (read, write or admin) that the request needs. */
public class ForbiddenException extends AnnalsHttpException {
    public ForbiddenException(Problem problem) {
        super(problem);
    }
}
