package io.dormouse.front;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in VM on 127.0.0.1: echoes what it reads and, once the client half-closes, sends
 * {@link #TRAILER} and closes; so a test sees both directions and the half-close pass through.
 */
final class EchoServer implements AutoCloseable {

    static final byte[] TRAILER = "|end".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final Queue<SocketAddress> peers = new ConcurrentLinkedQueue<>();

    EchoServer() throws IOException {
        this(0);
    }

    /** On {@code port}, 0 for any free one. */
    EchoServer(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The remote ends of the connections accepted so far. */
    List<SocketAddress> peers() {
        return List.copyOf(peers);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                peers.add(s.getRemoteSocketAddress());
                Thread.ofVirtual().start(() -> echo(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            out.write(TRAILER);
        } catch (IOException e) {
            // the client went away: nothing to echo to
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
