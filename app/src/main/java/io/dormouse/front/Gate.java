package io.dormouse.front;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what one accepted connection gets: spliced to its running VM at once, held while the VM
 * wakes (bounded in number per VM and in time) and then spliced, or closed with the reason logged.
 */
final class Gate {

    private static final Logger LOG = LoggerFactory.getLogger(Gate.class);
    /** How long a refused connection's unread input is drained, so that closing it sends FIN and not RST. */
    private static final int DRAIN_MILLIS = 1000;
    private static final int DRAIN_BYTES = 64 * 1024;
    private static final IntConsumer UNCOUNTED = n -> { };
    /**
     * Connections opened to one VM at once. The demo guest under TCG resets part of a burst of 50
     * simultaneous connections even without the front door; eight at a time it answers them all.
     */
    static final int OPENINGS_PER_VM = 8;
    private static final Duration OPENING_PATIENCE = Duration.ofSeconds(2);
    static final Duration WOKEN_PATIENCE = Duration.ofSeconds(3);
    private static final Duration CONNECT_RETRY = Duration.ofMillis(50);

    /** Why a connection was closed without reaching its VM: the log's words and the metric's tag. */
    enum Refusal {
        HOLD_LIMIT("hold-limit"), HOLD_TIMEOUT("hold-timeout"), WAKE_FAILED("wake-failed"), DOWN("down"),
        NOT_DEMAND("not-demand"), CONNECT_FAILED("connect-failed"), GONE("gone");

        final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }
    }

    private final FrontSettings settings;
    private final Backends backends;
    private final Meters meters;
    private final Function<String, TokenBucket> buckets;
    private final MeterRegistry registry;
    private final Openings openings = new Openings(OPENINGS_PER_VM, OPENING_PATIENCE);

    Gate(FrontSettings settings, Backends backends, Meters meters, Function<String, TokenBucket> buckets,
         MeterRegistry registry) {
        this.settings = settings;
        this.backends = backends;
        this.meters = meters;
        this.buckets = buckets;
        this.registry = registry;
    }

    /** Serves one connection to {@code vm}'s front address on {@code port} to its end. Blocks. */
    void serve(SocketChannel client, String vm, int port) {
        InetAddress peer = peer(client);
        boolean demand = settings.demand(peer, port);
        VmMeter meter = demand ? meters.of(vm) : null;
        if (meter != null) {
            meter.opened();
        }
        try {
            Optional<Target> found = backends.find(vm);
            if (found.isEmpty()) {
                refuse(client, vm, port, peer, Refusal.GONE, "the VM no longer exists");
                return;
            }
            Target target = found.get();
            InetAddress address = switch (target.readiness()) {
                case UP -> {
                    if (demand) {
                        backends.touch(vm);
                    }
                    yield target.address();
                }
                case ASLEEP -> demand ? held(client, vm, port, peer, meter)
                        : refused(client, vm, port, peer, Refusal.NOT_DEMAND, "the VM is " + target.state()
                                + " and this connection is excluded from demand (telemetry.excluded-sources or"
                                + " front.exclude-ports), so it does not wake it");
                case DOWN -> refused(client, vm, port, peer, Refusal.DOWN, "the VM is " + target.state());
            };
            if (address != null) {
                splice(client, vm, port, peer, address, meter, target.readiness() == Target.Readiness.ASLEEP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Splice.close(client);
        } finally {
            if (meter != null) {
                meter.closed();
            }
        }
    }

    /** Waits for the VM's wake within the hold limit and timeout; its address, or null when refused. */
    private InetAddress held(SocketChannel client, String vm, int port, InetAddress peer, VmMeter meter)
            throws InterruptedException {
        if (!meter.hold(settings.holdLimit())) {
            return refused(client, vm, port, peer, Refusal.HOLD_LIMIT, settings.holdLimit()
                    + " connections are held for the VM already (front.hold-limit)");
        }
        try {
            CompletableFuture<java.net.Inet4Address> wake = backends.wake(vm);
            try {
                InetAddress address = wake.get(settings.holdTimeout().toNanos(), TimeUnit.NANOSECONDS);
                meter.woke();
                return address;
            } catch (TimeoutException e) {
                return refused(client, vm, port, peer, Refusal.HOLD_TIMEOUT, "the VM was not running after "
                        + settings.holdTimeout().toMillis() + " ms (front.hold-timeout)");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return refused(client, vm, port, peer, Refusal.WAKE_FAILED, "its wake failed: "
                        + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
            } finally {
                wake.cancel(false);
            }
        } finally {
            meter.released();
        }
    }

    private void splice(SocketChannel client, String vm, int port, InetAddress peer, InetAddress address,
                        VmMeter meter, boolean woken) throws InterruptedException {
        Openings.Turn turn = openings.begin(vm);
        try {
            SocketChannel upstream;
            try {
                upstream = connect(new InetSocketAddress(address, port), woken);
            } catch (IOException e) {
                refuse(client, vm, port, peer, Refusal.CONNECT_FAILED, "connecting to " + address.getHostAddress()
                        + ":" + port + " failed: " + e.getMessage());
                return;
            }
            try {
                client.socket().setTcpNoDelay(true);
                upstream.socket().setTcpNoDelay(true);
            } catch (IOException e) {
                // a socket that cannot take the option fails its first read as well, which ends the splice
            }
            Splice.run(client, upstream, meter == null ? UNCOUNTED : meter::in, meter == null ? UNCOUNTED : meter::out,
                    buckets.apply(vm), turn::end);
        } finally {
            turn.end();
        }
    }

    /**
     * A woken VM was ready on its readiness port; its other ports may open a moment later, so the
     * connect of a held connection is retried while refused, for up to {@link #WOKEN_PATIENCE}.
     */
    private static SocketChannel connect(InetSocketAddress to, boolean woken) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + (woken ? WOKEN_PATIENCE.toNanos() : 0);
        while (true) {
            try {
                return SocketChannel.open(to);
            } catch (ConnectException e) {
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
                Thread.sleep(CONNECT_RETRY);
            }
        }
    }

    /** Forgets the VMs not in {@code vms}. */
    void retain(Set<String> vms) {
        openings.retain(vms);
    }

    private InetAddress refused(SocketChannel client, String vm, int port, InetAddress peer, Refusal why,
                                String detail) {
        refuse(client, vm, port, peer, why, detail);
        return null;
    }

    private void refuse(SocketChannel client, String vm, int port, InetAddress peer, Refusal why, String detail) {
        LOG.atInfo().addKeyValue("vm", vm).addKeyValue("port", port)
                .addKeyValue("client", peer == null ? "unknown" : peer.getHostAddress())
                .addKeyValue("reason", why.tag)
                .log("front door closed a connection to VM " + vm + ": " + detail);
        Counter.builder("dormouse.front.refused").description("connections closed without reaching their VM")
                .tag("vm", vm).tag("reason", why.tag).register(registry).increment();
        closeCleanly(client);
    }

    /**
     * Sends FIN, then reads what the client had sent until it closes too (or a second passes): closing
     * a socket with unread input would send RST instead (RFC 1122 4.2.2.13).
     */
    static void closeCleanly(SocketChannel client) {
        try {
            client.shutdownOutput();
            Socket socket = client.socket();
            socket.setSoTimeout(DRAIN_MILLIS);
            InputStream input = socket.getInputStream();
            byte[] sink = new byte[4096];
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
            int drained = 0;
            int n;
            while (drained < DRAIN_BYTES && System.nanoTime() < deadline && (n = input.read(sink)) >= 0) {
                drained += n;
            }
        } catch (IOException e) {
            // the client is gone already or kept sending: close now either way
        } finally {
            Splice.close(client);
        }
    }

    private static InetAddress peer(SocketChannel client) {
        try {
            return client.getRemoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
