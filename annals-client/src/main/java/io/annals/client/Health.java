package io.annals.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The answer of {@code GET /health}.
 *
 * @param httpStatus 200 when the server is up, 503 when it runs but its store cannot serve
 * @param status     the {@code status} member ({@code UP}, {@code DOWN}, ...)
 * @param body       the whole JSON answer, which may carry more details
 */
public record Health(int httpStatus, String status, JsonNode body) {
    /** True when the server answered 200 with status {@code UP}. */
    public boolean isUp() {
        return httpStatus == 200 && "UP".equalsIgnoreCase(status);
    }
}
