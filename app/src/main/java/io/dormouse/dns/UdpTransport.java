package io.dormouse.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over UDP: one receive loop per core, each on its own datagram channel bound to the same port
 * with SO_REUSEPORT (the kernel spreads clients over them; no lock shared between loops). Each datagram
 * passes the source limit before it is parsed; a flooding sender goes to a {@link PenaltyBox}. An answer
 * that needs no wait is sent inline from the loop; a held answer from a virtual thread when it completes.
 */
final class UdpTransport implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);
    private static final int MAX_DATAGRAM = 65535;

    private final List<DatagramChannel> channels = new ArrayList<>();
    private final PacketHandler handler;
    private final SourceLimit admission;
    private final DnsMetrics metrics;
    private final PenaltyBox box;
    private final ExecutorService virtualThreads;
    private final List<Thread> loops = new ArrayList<>();

    UdpTransport(DnsSettings settings, PacketHandler handler, DnsMetrics metrics, ExecutorService virtualThreads,
                 InstantSource clock) throws IOException {
        this.handler = handler;
        this.admission = new SourceLimit(settings.udp().perSource(), clock);
        this.metrics = metrics;
        this.virtualThreads = virtualThreads;
        int loopCount = settings.udp().receiveLoops() > 0 ? settings.udp().receiveLoops()
                : Math.max(1, Runtime.getRuntime().availableProcessors());
        boolean reusePort = reusePortSupported();
        InetSocketAddress address = settings.listen();
        try {
            for (int i = 0; i < (reusePort ? loopCount : 1); i++) {
                DatagramChannel channel = DatagramChannel.open();
                channels.add(channel);
                channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
                if (reusePort) {
                    channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                channel.bind(address);
                // With port 0, the later channels join the port the first one got.
                address = (InetSocketAddress) channel.getLocalAddress();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        // A box needs the port shared (SO_REUSEPORT); without it an over-limit sender is only dropped.
        int boxes = reusePort ? settings.udp().penaltyBoxes() : 0;
        this.box = new PenaltyBox(address, boxes, settings.udp().penaltyDuration(), virtualThreads);
        metrics.penaltyBoxes(box);
        for (int i = 0; i < loopCount; i++) {
            DatagramChannel channel = channels.get(i % channels.size());
            loops.add(Thread.ofPlatform().daemon().name("dns-udp-" + i).start(() -> receive(channel)));
        }
    }

    private static boolean reusePortSupported() throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        }
    }

    int port() throws IOException {
        return ((InetSocketAddress) channels.getFirst().getLocalAddress()).getPort();
    }

    private void receive(DatagramChannel channel) {
        // Per loop, reused: the hot path allocates only what the JDK does for the sender's address.
        byte[] in = new byte[MAX_DATAGRAM];
        ByteBuffer inBuffer = ByteBuffer.wrap(in);
        byte[] out = new byte[MAX_DATAGRAM];
        ByteBuffer outBuffer = ByteBuffer.wrap(out);
        while (channel.isOpen()) {
            InetSocketAddress from;
            try {
                inBuffer.clear();
                from = (InetSocketAddress) channel.receive(inBuffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.atDebug().setCause(e).log("UDP receive failed");
                continue;
            }
            switch (admission.admit(from.getAddress())) {
                case ADMIT -> { }
                case REFUSE -> {
                    metrics.sourceLimited();
                    continue;
                }
                case FLOOD -> {
                    metrics.sourceLimited();
                    box.box(from);
                    continue;
                }
            }
            int len = inBuffer.position();
            int n = handler.answerNow(in, len, out, from.getAddress(), Query.Transport.UDP);
            if (n > 0) {
                send(channel, outBuffer.clear().limit(n), from);
                continue;
            }
            if (n == 0) {
                continue;
            }
            byte[] packet = java.util.Arrays.copyOf(in, len);
            switch (handler.handle(packet, from.getAddress(), from.getPort(), Query.Transport.UDP)) {
                case PacketHandler.Outcome.Drop d -> { }
                case PacketHandler.Outcome.Send s -> send(channel, ByteBuffer.wrap(s.packet()), from);
                case PacketHandler.Outcome.Later later -> later.packet().thenAcceptAsync(p -> {
                    if (p != null) {
                        send(channel, ByteBuffer.wrap(p), from);
                    }
                }, virtualThreads);
            }
        }
    }

    private static void send(DatagramChannel channel, ByteBuffer packet, InetSocketAddress to) {
        try {
            channel.send(packet, to);
        } catch (IOException e) {
            LOG.atDebug().setCause(e).addKeyValue("client", to).log("UDP send failed");
        }
    }

    @Override
    public void close() throws IOException {
        if (box != null) {
            box.close();
        }
        for (DatagramChannel channel : channels) {
            channel.close();
        }
        for (Thread t : loops) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
