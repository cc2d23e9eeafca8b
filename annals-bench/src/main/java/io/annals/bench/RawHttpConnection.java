package io.annals.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection over a plain socket, sending prepared request bytes and reading the answer
 * (Content-Length or chunked). The load generator shares the machine's two cores with the server, so its client must
 * cost as little CPU as possible: this one costs far less than {@code java.net.http.HttpClient} (compare with
 * {@code --client jdk}), much as wrk does. Plain HTTP only; not thread-safe (one per worker).
 */
final class RawHttpConnection implements AutoCloseable {
    /** A status code and the body. */
    record Answer(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawHttpConnection(URI base) {
        if (!"http".equals(base.getScheme())) throw new IllegalArgumentException("the raw client speaks plain http only; use --client jdk");
        this.host = base.getHost();
        this.port = base.getPort() == -1 ? 80 : base.getPort();
    }

    /** The bytes of a request with a JSON body. */
    static byte[] post(URI base, String path, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + base.getAuthority()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        return request;
    }

    /** The bytes of a GET of {@code pathAndQuery} (already encoded). */
    static byte[] get(URI base, String pathAndQuery) {
        return ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the request and reads the whole answer; reconnects first if the last exchange broke the connection. */
    Answer exchange(byte[] request) throws IOException {
        if (socket == null) connect();
        try {
            out.write(request);
            out.flush();
            return read();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    private Answer read() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.")) throw new IOException("not an HTTP answer: " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream all = new ByteArrayOutputStream(8192);
            for (int size = chunkSize(); size > 0; size = chunkSize()) {
                all.write(in.readNBytes(size));
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers are not used
            }
            body = all.toByteArray();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length != length) throw new IOException("the connection closed inside a body");
        } else {
            body = in.readAllBytes();
            closeAfter = true;
        }
        if (closeAfter) close();
        return new Answer(status, body);
    }

    private int chunkSize() throws IOException {
        String s = line();
        int semicolon = s.indexOf(';');
        return Integer.parseInt((semicolon < 0 ? s : s.substring(0, semicolon)).trim(), 16);
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) throw new IOException("the server closed the connection");
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        socket = null;
    }
}
