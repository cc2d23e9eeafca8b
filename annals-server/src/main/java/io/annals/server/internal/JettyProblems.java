package io.annals.server.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error responses (a malformed request line, headers too large, a URI Jetty refuses) as
 * {@code application/problem+json}, like every other error of the server, instead of Jetty's HTML page.
 */
public final class JettyProblems extends ErrorHandler {

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType(ProblemWriter.CONTENT_TYPE);
        response.getOutputStream().write(ProblemWriter.toBytes(problem(code, message), request.getRequestURI()));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ProblemWriter.CONTENT_TYPE);
        return ByteBuffer.wrap(ProblemWriter.toBytes(problem(status, reason), null));
    }

    private static Problem problem(int code, String message) {
        String reason = HttpStatus.getMessage(code);
        String detail = message == null || message.isBlank() ? reason : message;
        String slug = switch (code) {
            case 400 -> "invalid-request";
            case 404 -> "not-found";
            case 413 -> "payload-too-large";
            case 500 -> "internal";
            case 503 -> "unavailable";
            default -> "http-" + code;
        };
        return new Problem(code, slug, reason, "the request was refused by the HTTP layer: " + detail);
    }
}
