package io.annals.bench;

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
    /** The answer bytes read but not consumed yet: buf[pos, lim). Unsynchronized, unlike BufferedInputStream. */
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;

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
        in = socket.getInputStream();
        out = socket.getOutputStream();
        pos = 0;
        lim = 0;
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
                all.write(bytes(size));
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers are not used
            }
            body = all.toByteArray();
        } else if (length >= 0) {
            body = bytes((int) length);
        } else {
            ByteArrayOutputStream all = new ByteArrayOutputStream(8192);
            all.write(buf, pos, lim - pos);
            pos = lim;
            all.write(in.readAllBytes());
            body = all.toByteArray();
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

    /** The next line without its CR LF, scanned in the buffer. */
    private String line() throws IOException {
        StringBuilder longLine = null;
        while (true) {
            if (pos == lim) fill();
            int start = pos;
            while (pos < lim && buf[pos] != '\n') pos++;
            if (pos < lim) {
                int end = pos++;
                if (longLine == null) {
                    if (end > start && buf[end - 1] == '\r') end--;
                    return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                }
                longLine.append(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
                int last = longLine.length() - 1;
                if (last >= 0 && longLine.charAt(last) == '\r') longLine.setLength(last);
                return longLine.toString();
            }
            if (longLine == null) longLine = new StringBuilder(128);
            longLine.append(new String(buf, start, lim - start, StandardCharsets.ISO_8859_1));
        }
    }

    /** The next {@code n} bytes: what the buffer holds, the rest straight from the socket. */
    private byte[] bytes(int n) throws IOException {
        byte[] b = new byte[n];
        int have = Math.min(n, lim - pos);
        System.arraycopy(buf, pos, b, 0, have);
        pos += have;
        while (have < n) {
            int r = in.read(b, have, n - have);
            if (r < 0) throw new IOException("the connection closed inside a body");
            have += r;
        }
        return b;
    }

    private void fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) throw new IOException("the server closed the connection");
        pos = 0;
        lim = n;
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
