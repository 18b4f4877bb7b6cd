package io.dormouse.dns;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over TCP (RFC 7766): two-byte length framing, pipelined queries answered as they are ready
 * (possibly out of order), an idle timeout when nothing is in flight, and a cap on connections per client.
 * One virtual thread per connection.
 */
final class TcpTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);
    /** After the client stops sending, how long outstanding answers may still take. */
    private static final long DRAIN_MILLIS = 5_000;

    private final ServerSocket server;
    private final PacketHandler handler;
    private final ExecutorService virtualThreads;
    private final DnsSettings settings;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final Thread acceptLoop;

    TcpTransport(InetSocketAddress listen, PacketHandler handler, ExecutorService virtualThreads,
                 DnsSettings settings) throws IOException {
        this.handler = handler;
        this.virtualThreads = virtualThreads;
        this.settings = settings;
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(listen, 1024);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        this.acceptLoop = Thread.ofVirtual().name("dns-tcp-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.atDebug().setCause(e).log("TCP accept failed");
                }
                continue;
            }
            InetAddress client = socket.getInetAddress();
            AtomicInteger open = perClient.computeIfAbsent(client, c -> new AtomicInteger());
            if (open.incrementAndGet() > settings.tcpConnectionsPerClient()) {
                release(client, open);
                closeQuietly(socket);
                continue;
            }
            virtualThreads.execute(() -> {
                try {
                    serve(socket);
                } finally {
                    release(client, open);
                    closeQuietly(socket);
                }
            });
        }
    }

    private void release(InetAddress client, AtomicInteger open) {
        if (open.decrementAndGet() <= 0) {
            perClient.remove(client, open);
        }
    }

    private void serve(Socket socket) {
        AtomicInteger inFlight = new AtomicInteger();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) settings.tcpIdleTimeout().toMillis());
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16384));
            Replies replies = new Replies(new BufferedOutputStream(socket.getOutputStream(), 16384));
            byte[] query = new byte[65535];
            byte[] answer = new byte[1024]; // the hot path answers at most 512 + 16 bytes
            while (true) {
                if (in.available() == 0) {
                    replies.flush(); // answers to pipelined queries go out together, once the input is drained
                }
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (SocketTimeoutException e) {
                    if (inFlight.get() > 0) {
                        continue; // idle means nothing in flight (RFC 7766 §6.2.3)
                    }
                    return;
                } catch (EOFException e) {
                    break;
                }
                in.readFully(query, 0, length);
                int n = handler.answerNow(query, length, answer, socket.getInetAddress(), Query.Transport.TCP);
                if (n > 0) {
                    replies.write(answer, n, false);
                    continue;
                }
                byte[] packet = Arrays.copyOf(query, length);
                switch (handler.handle(packet, socket.getInetAddress(), socket.getPort(), Query.Transport.TCP)) {
                    case PacketHandler.Outcome.Drop d -> { }
                    case PacketHandler.Outcome.Send s -> replies.write(s.packet(), s.packet().length, false);
                    case PacketHandler.Outcome.Later later -> {
                        inFlight.incrementAndGet();
                        later.packet().whenCompleteAsync((p, e) -> {
                            try {
                                if (p != null) {
                                    replies.write(p, p.length, true);
                                }
                            } catch (IOException ignored) {
                                // the client went away; nothing to answer
                            } finally {
                                inFlight.decrementAndGet();
                            }
                        }, virtualThreads);
                    }
                }
            }
            replies.flush();
            drain(inFlight);
        } catch (IOException e) {
            LOG.atDebug().setCause(e).log("TCP connection ended");
        }
    }

    /** Length-framed answers on one connection, written by its reader and by held answers completing. */
    private static final class Replies {
        private final OutputStream out;
        private final ReentrantLock lock = new ReentrantLock();

        Replies(OutputStream out) {
            this.out = out;
        }

        void write(byte[] packet, int length, boolean flush) throws IOException {
            lock.lock();
            try {
                out.write(length >>> 8);
                out.write(length);
                out.write(packet, 0, length);
                if (flush) {
                    out.flush();
                }
            } finally {
                lock.unlock();
            }
        }

        void flush() throws IOException {
            lock.lock();
            try {
                out.flush();
            } finally {
                lock.unlock();
            }
        }
    }

    private static void drain(AtomicInteger inFlight) {
        long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing after the conversation; nothing left to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptLoop.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
