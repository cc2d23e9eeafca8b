package io.annals.devservers.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port picking and readiness probes. */
public final class Net {

    private Net() {
    }

    /** A port that was free on 127.0.0.1 a moment ago (another process may still take it before the server does). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }

    /** A free port other than {@code taken}. */
    public static int freePortOtherThan(int taken) {
        int port = freePort();
        while (port == taken) {
            port = freePort();
        }
        return port;
    }

    /** Whether nothing listens on the port of 127.0.0.1 now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a CQL server answers at the address: sends an OPTIONS request (native protocol v4) and expects a
     * SUPPORTED response. A plain TCP connect is not enough evidence, since the port could belong to something else.
     */
    public static boolean cqlAnswers(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1_000);
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            // header: version 4 request, flags 0, stream 1, opcode OPTIONS (0x05), body length 0
            out.write(new byte[] {0x04, 0x00, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00});
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[9];
            in.readFully(header);
            // response: version 0x84, opcode SUPPORTED (0x06)
            return (header[0] & 0xff) == 0x84 && header[4] == 0x06;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a Kafka broker answers at the address and lists itself there: sends a Metadata request (version 1,
     * no topics) and expects a response with the same correlation id naming a broker on the address's port. A
     * KRaft broker only serves requests once the controller has unfenced it, so an answer means producers and
     * consumers can use it (and topics can be created).
     */
    public static boolean kafkaAnswers(InetSocketAddress address) {
        int correlationId = 0x616e6e61;
        try (Socket socket = new Socket()) {
            socket.connect(address, 1_000);
            socket.setSoTimeout(3_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            DataOutputStream body = new DataOutputStream(request);
            body.writeShort(3);                 // api key: Metadata
            body.writeShort(1);                 // api version 1 (request header v1)
            body.writeInt(correlationId);
            body.writeShort(6);                 // client id
            body.writeBytes("annals");
            body.writeInt(0);                   // topics: an empty array (null would mean all topics)
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(request.size());
            request.writeTo(out);
            out.flush();

            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            if (size < 8 || size > 1 << 20 || in.readInt() != correlationId) {
                return false;
            }
            int brokers = in.readInt();
            for (int i = 0; i < brokers && i < 1_000; i++) {
                in.readInt();                   // node id
                in.skipBytes(in.readShort());   // host
                int port = in.readInt();
                short rack = in.readShort();    // nullable string: -1 is null
                in.skipBytes(Math.max(rack, 0));
                if (port == address.getPort()) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
