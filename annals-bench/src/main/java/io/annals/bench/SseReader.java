package io.annals.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A lean Server-Sent Events reader over a plain socket: one {@code GET}, then each line of the stream is handed to a
 * {@link LineHandler} as bytes in a buffer, without making a String or parsing JSON. It decodes chunked transfer
 * encoding (Jetty streams that way) and reads until the handler says stop or the server ends the stream. It costs
 * the load generator far less CPU than a full client, so that the server keeps the machine's cores. Plain HTTP only;
 * one thread.
 */
final class SseReader implements AutoCloseable {
    /** One line of the stream without its line break: {@code id: ...}, {@code data: ...}, {@code : comment} or empty. */
    @FunctionalInterface
    interface LineHandler {
        /** Returns false to stop reading. */
        boolean line(byte[] buf, int from, int to) throws IOException;
    }

    private final Socket socket;
    private final InputStream in;
    /** Bytes off the socket, framing included: raw[rpos, rlim). */
    private final byte[] raw = new byte[128 * 1024];
    private int rpos;
    private int rlim;
    private boolean chunked;
    /** Bytes left in the current chunk; -1 before the first chunk header; the stream ended at 0 after the last. */
    private long chunkLeft = -1;
    private boolean ended;
    /** Decoded stream bytes: lines[lpos, llim). Grows for a line longer than it. */
    private byte[] lines = new byte[128 * 1024];
    private int lpos;
    private int llim;

    private SseReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Sends {@code GET pathAndQuery} (already encoded) and reads the answer's head; fails unless it is 200. */
    static SseReader open(URI base, String pathAndQuery) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setReceiveBufferSize(1 << 20);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort() == -1 ? 80 : base.getPort()), 10_000);
        socket.setSoTimeout(120_000);
        SseReader reader = new SseReader(socket);
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + base.getAuthority()
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reader.readHead(pathAndQuery);
            return reader;
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private void readHead(String what) throws IOException {
        String status = rawLine();
        if (!status.startsWith("HTTP/1.")) throw new IOException("not an HTTP answer: " + status);
        for (String h = rawLine(); !h.isEmpty(); h = rawLine()) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("transfer-encoding")) {
                chunked = h.substring(colon + 1).toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        if (!status.startsWith(" 200", 8)) {
            throw new IOException("GET " + what + " answered " + status + ": "
                    + new String(raw, rpos, rlim - rpos, StandardCharsets.UTF_8));
        }
    }

    /** Hands every line to {@code handler} until it returns false; false when the stream ended first. */
    boolean read(LineHandler handler) throws IOException {
        while (true) {
            int nl = indexOf(lines, lpos, llim, (byte) '\n');
            if (nl < 0) {
                if (!more()) return false;
                continue;
            }
            int end = nl > lpos && lines[nl - 1] == '\r' ? nl - 1 : nl;
            int start = lpos;
            lpos = nl + 1;
            if (!handler.line(lines, start, end)) return true;
        }
    }

    /** Reads more decoded bytes after the unread ones, moving or growing the buffer as needed. */
    private boolean more() throws IOException {
        if (lpos > 0) {
            System.arraycopy(lines, lpos, lines, 0, llim - lpos);
            llim -= lpos;
            lpos = 0;
        }
        if (llim == lines.length) lines = Arrays.copyOf(lines, lines.length * 2);
        int n = decoded(lines, llim, lines.length - llim);
        if (n < 0) return false;
        llim += n;
        return true;
    }

    /** Up to {@code len} bytes of the body, chunk framing removed; -1 at its end. */
    private int decoded(byte[] dst, int off, int len) throws IOException {
        if (ended) return -1;
        if (!chunked) {
            int n = copyRaw(dst, off, len);
            if (n < 0) ended = true;
            return n;
        }
        if (chunkLeft <= 0) {
            if (chunkLeft == 0) rawLine(); // the CR LF after the previous chunk
            String size = rawLine();
            int semicolon = size.indexOf(';');
            chunkLeft = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (chunkLeft == 0) {
                ended = true;
                return -1;
            }
        }
        int n = copyRaw(dst, off, (int) Math.min(len, chunkLeft));
        if (n < 0) throw new IOException("the connection closed inside a chunk");
        chunkLeft -= n;
        return n;
    }

    private int copyRaw(byte[] dst, int off, int len) throws IOException {
        if (rpos == rlim) {
            // a big read goes straight into the destination, a small one through the raw buffer
            if (len >= raw.length / 2) return fill(dst, off, len);
            int n = fill(raw);
            if (n < 0) return -1;
            rpos = 0;
            rlim = n;
        }
        int n = Math.min(len, rlim - rpos);
        System.arraycopy(raw, rpos, dst, off, n);
        rpos += n;
        return n;
    }

    /** A line of framing (status, header, chunk size) without its CR LF. */
    private String rawLine() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            if (rpos == rlim) {
                int n = fill(raw);
                if (n < 0) throw new IOException("the server closed the connection");
                rpos = 0;
                rlim = n;
            }
            byte b = raw[rpos++];
            if (b == '\n') {
                int last = sb.length() - 1;
                if (last >= 0 && sb.charAt(last) == '\r') sb.setLength(last);
                return sb.toString();
            }
            sb.append((char) (b & 0xff));
        }
    }

    private int fill(byte[] b) throws IOException {
        return fill(b, 0, b.length);
    }

    private int fill(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, len);
    }

    static int indexOf(byte[] b, int from, int to, byte x) {
        for (int i = from; i < to; i++) if (b[i] == x) return i;
        return -1;
    }

    /** True when {@code b[from, to)} starts with {@code prefix}. */
    static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[from + i] != prefix[i]) return false;
        return true;
    }

    /** Where {@code marker} first occurs in {@code b[from, to)}, or -1. */
    static int find(byte[] b, int from, int to, byte[] marker) {
        outer:
        for (int i = from; i <= to - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) if (b[i + j] != marker[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** The non-negative decimal number at {@code b[from...]}, up to the first non-digit. */
    static long number(byte[] b, int from, int to) {
        long n = 0;
        for (int i = from; i < to && b[i] >= '0' && b[i] <= '9'; i++) n = n * 10 + (b[i] - '0');
        return n;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
