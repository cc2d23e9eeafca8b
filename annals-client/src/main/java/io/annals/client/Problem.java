package io.annals.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An RFC 9457 problem detail as the server answered it ({@code application/problem+json}).
 *
 * @param type    the problem type URI, for example {@code https://annals.io/problems/invalid-request}
 * @param title   a short summary of the problem type
 * @param status  the HTTP status code
 * @param detail  what was wrong with this request, in words a person can act on
 * @param members the whole problem object, including extension members such as {@code stream} or {@code eventId}
 */
public record Problem(String type, String title, int status, String detail, JsonNode members) {

    /** A problem made up by the client for a response that carried none (a proxy's HTML page, an empty body...). */
    public static Problem synthetic(int status, String detail) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("status", status).put("detail", detail);
        return new Problem("about:blank", "HTTP " + status, status, detail, node);
    }

    /** The last segment of {@link #type()}: {@code invalid-request}, {@code wrong-expected-version}, ... */
    public String slug() {
        if (type == null) return "";
        int slash = type.lastIndexOf('/');
        return slash < 0 ? type : type.substring(slash + 1);
    }

    /** The detail when there is one, else the title. */
    public String message() {
        if (detail != null && !detail.isBlank()) return detail;
        return title == null ? "HTTP " + status : title;
    }
}
