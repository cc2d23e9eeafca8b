package io.annals.client;

/** 401: the server requires a bearer token and the request had none or an invalid one. Set one with
 *  {@link AnnalsClient.Builder#token(String)}. */
public class UnauthorizedException extends AnnalsHttpException {
    public UnauthorizedException(Problem problem) {
        super(problem);
    }
}
