package io.dormouse.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a flooding sender (one address and port) off the shared receive sockets. Its box is a socket
 * bound to the server's port with SO_REUSEPORT and connected to the sender: Linux delivers a datagram
 * to the connected socket that matches its source before it picks one of the reuseport group, and the
 * group's hash skips connected sockets. The box is never read and has the smallest receive buffer, so
 * the kernel drops the sender's datagrams there without waking a receive loop, and the loop the sender
 * hashed to is free again for everyone else. A box is opened when the sender's source is flooding
 * ({@link SourceLimit.Verdict#FLOOD}) and closed after {@code duration}; at most {@code capacity} are open.
 * Between bind and connect the box is an ordinary member of the group for a few microseconds; what lands
 * there then is lost (connecting discards it), as if the network had dropped it.
 */
final class PenaltyBox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PenaltyBox.class);

    private final SocketAddress local;
    private final int capacity;
    private final Duration duration;
    private final Executor later;
    private final ConcurrentHashMap<SocketAddress, DatagramChannel> boxes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PenaltyBox(SocketAddress local, int capacity, Duration duration, Executor executor) {
        this.local = local;
        this.capacity = capacity;
        this.duration = duration;
        this.later = CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS, executor);
    }

    /** Boxes {@code sender} unless it is boxed already or every box is taken. */
    void box(InetSocketAddress sender) {
        if (closed || boxes.size() >= capacity || boxes.containsKey(sender)) {
            return;
        }
        DatagramChannel box;
        try {
            // The family of the receive sockets: the kernel groups only sockets of one family.
            box = DatagramChannel.open();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.atDebug().setCause(e).log("cannot open a penalty box");
            return;
        }
        try {
            box.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            box.setOption(StandardSocketOptions.SO_RCVBUF, 1); // the system rounds it up to its minimum
            box.bind(local);
            box.connect(sender);
        } catch (IOException | RuntimeException e) {
            LOG.atDebug().setCause(e).addKeyValue("sender", sender).log("cannot box a flooding sender");
            closeQuietly(box);
            return;
        }
        if (boxes.putIfAbsent(sender, box) != null) {
            closeQuietly(box); // another loop boxed it meanwhile
            return;
        }
        LOG.atInfo().addKeyValue("sender", sender).addKeyValue("for", duration)
                .log("UDP sender over its source limit moved to a penalty box");
        later.execute(() -> release(sender, box));
        if (closed) {
            release(sender, box);
        }
    }

    int size() {
        return boxes.size();
    }

    private void release(SocketAddress sender, DatagramChannel box) {
        if (boxes.remove(sender, box)) {
            closeQuietly(box);
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // a socket nobody reads; nothing to lose
        }
    }

    @Override
    public void close() {
        closed = true;
        boxes.forEach(this::release);
    }
}
