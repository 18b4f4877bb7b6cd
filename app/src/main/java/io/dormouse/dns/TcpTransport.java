package io.dormouse.dns;

import java.io.BufferedOutputStream;
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
    /** Queries a connection answers before it lets other connections run, when it never has to wait for input. */
    private static final int YIELD_EVERY = 64;

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
            InputStream in = socket.getInputStream();
            Replies replies = new Replies(new BufferedOutputStream(socket.getOutputStream(), 16384));
            // Received bytes between start and end; room for one largest frame after compacting.
            byte[] received = new byte[2 + 65535 + 16384];
            int start = 0;
            int end = 0;
            int answered = 0;
            byte[] query = new byte[65535];
            byte[] answer = new byte[1024]; // the hot path answers at most 512 + 16 bytes
            while (true) {
                int length = end - start >= 2 ? ((received[start] & 0xFF) << 8) | (received[start + 1] & 0xFF) : -1;
                if (length < 0 || end - start < 2 + length) {
                    // No whole query left: answers to the pipelined ones go out together, then wait for more.
                    replies.flush();
                    if (answered >= YIELD_EVERY) {
                        // A virtual thread runs until it blocks, and a busy pipelined connection may never block:
                        // let the other connections on this carrier have their turn.
                        answered = 0;
                        Thread.yield();
                    }
                    if (start > 0) {
                        System.arraycopy(received, start, received, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    int n;
                    try {
                        n = in.read(received, end, received.length - end);
                    } catch (SocketTimeoutException e) {
                        if (inFlight.get() > 0) {
                            continue; // idle means nothing in flight (RFC 7766 §6.2.3)
                        }
                        return;
                    }
                    if (n < 0) {
                        break;
                    }
                    end += n;
                    continue;
                }
                System.arraycopy(received, start + 2, query, 0, length);
                start += 2 + length;
                answered++;
                answer(query, length, answer, socket, replies, inFlight);
            }
            replies.flush();
            drain(inFlight);
        } catch (IOException e) {
            LOG.atDebug().setCause(e).log("TCP connection ended");
        }
    }

    private void answer(byte[] query, int length, byte[] answer, Socket socket, Replies replies, AtomicInteger inFlight)
            throws IOException {
        int n = handler.answerNow(query, length, answer, socket.getInetAddress(), Query.Transport.TCP);
        if (n > 0) {
            replies.write(answer, n, false);
            return;
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
