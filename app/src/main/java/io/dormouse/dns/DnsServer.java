package io.dormouse.dns;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The DNS front door: an authoritative server for the fleet's zone over UDP and TCP on one port.
 * {@link #start} binds and serves at once; {@link #close} stops both transports.
 */
public final class DnsServer implements AutoCloseable {

    private static final int BIND_ATTEMPTS = 20;

    private final ExecutorService virtualThreads;
    private final UdpTransport udp;
    private final TcpTransport tcp;

    private DnsServer(ExecutorService virtualThreads, UdpTransport udp, TcpTransport tcp) {
        this.virtualThreads = virtualThreads;
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Starts serving the zone of {@code settings} for the VMs of {@code names}, waking them through {@code waker}. */
    public static DnsServer start(DnsSettings settings, Names names, Waker waker, MeterRegistry registry) {
        return start(settings, names, waker, registry, InstantSource.system());
    }

    public static DnsServer start(DnsSettings settings, Names names, Waker waker, MeterRegistry registry,
                                  InstantSource clock) {
        byte[] cookieSecret = new byte[16];
        new SecureRandom().nextBytes(cookieSecret);
        DnsMetrics metrics = new DnsMetrics(registry, settings.vmstateType());
        PacketHandler handler = Assembly.handler(settings, names, waker, metrics, clock, cookieSecret);
        ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
        for (int attempt = 1; ; attempt++) {
            UdpTransport udp = null;
            try {
                udp = new UdpTransport(settings, handler, metrics, virtualThreads, clock);
                InetSocketAddress tcpAddress = new InetSocketAddress(settings.listen().getAddress(), udp.port());
                return new DnsServer(virtualThreads, udp, new TcpTransport(tcpAddress, handler, virtualThreads, settings));
            } catch (BindException e) {
                closeQuietly(udp);
                // With port 0 the free UDP port may be taken over TCP: try another one.
                if (settings.listen().getPort() != 0 || attempt == BIND_ATTEMPTS) {
                    virtualThreads.shutdownNow();
                    throw new UncheckedIOException("DNS cannot listen on " + settings.listen() + ": " + e.getMessage(), e);
                }
            } catch (IOException e) {
                closeQuietly(udp);
                virtualThreads.shutdownNow();
                throw new UncheckedIOException("DNS cannot listen on " + settings.listen() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The port both transports listen on (the one picked by the system when configured as 0). */
    public int port() {
        return tcp.port();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing; the bind error is the one to report
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(tcp);
        closeQuietly(udp);
        virtualThreads.shutdownNow();
    }
}
