package io.annals.server.internal;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reading request bodies: bounded in size (checked while reading, so a chunked body cannot slip past) and typed. */
final class Bodies {
    private Bodies() {}

    /** The media type of the request without parameters, lower case; null when the request names none. */
    static String mediaType(Context ctx) {
        String ct = ctx.header("Content-Type");
        if (ct == null || ct.isBlank()) return null;
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Refuses (415) a body declared in a character set other than UTF-8: JSON on the wire is UTF-8 (RFC 8259). */
    static void requireUtf8(Context ctx) {
        String ct = ctx.header("Content-Type");
        if (ct == null) return;
        for (String param : ct.split(";")) {
            String p = param.trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=")) {
                String charset = p.substring("charset=".length()).replace("\"", "");
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw new Problem(415, "unsupported-media-type", "Unsupported media type",
                            "request bodies must be UTF-8 JSON, not " + charset + "; send charset=utf-8 or no charset");
                }
            }
        }
    }

    /** The whole body, refused with 413 as soon as it exceeds {@code max} bytes. */
    static byte[] read(Context ctx, long max) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) throw tooLarge("is " + declared + " bytes", max);
        try (InputStream in = ctx.req().getInputStream()) {
            return declared >= 0 ? readDeclared(in, (int) declared) : readChunked(in, max);
        } catch (IOException e) {
            throw Problem.invalid("the request body could not be read: " + e.getMessage());
        }
    }

    /** A body of a known length (the usual case): read into an array of exactly that size, no copies. */
    private static byte[] readDeclared(InputStream in, int length) throws IOException {
        byte[] body = new byte[length];
        int read = 0;
        while (read < length) {
            int n = in.read(body, read, length - read);
            if (n < 0) throw new IOException("the body ended after " + read + " of its " + length + " bytes");
            read += n;
        }
        return body;
    }

    private static byte[] readChunked(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > max) throw tooLarge("exceeds that", max);
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static Problem tooLarge(String what, long max) {
        return new Problem(413, "payload-too-large", "Payload too large",
                "this server accepts request bodies of at most " + max + " bytes (annals.http.max-body-size) and this one "
                        + what + "; send fewer events per request")
                .with("maxBodySize", max);
    }
}
