package io.dormouse.hypervisor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits until a guest is ready by its spec's {@link VmSpec.Readiness}. A TCP port counts as
 * accepting only when the connection stays open for a moment: QEMU's user networking
 * accepts on the host side first and closes the connection when the guest refuses it.
 */
public final class ReadinessProbe {

    private static final Duration ATTEMPT = Duration.ofMillis(500);
    private static final Duration QUIET = Duration.ofMillis(100);
    private static final Duration PAUSE = Duration.ofMillis(10);

    private ReadinessProbe() {
    }

    /**
     * Probes until ready, the timeout passes ({@code TIMEOUT}) or {@code alive} turns false
     * ({@code CRASHED}).
     */
    public static void await(String machine, InetAddress address, VmSpec.Readiness readiness, BooleanSupplier alive)
            throws InterruptedException {
        long deadline = System.nanoTime() + readiness.timeout().toNanos();
        while (true) {
            if (!alive.getAsBoolean()) {
                throw new HypervisorException(HypervisorException.Kind.CRASHED, machine,
                        "the process ended before the guest was ready");
            }
            if (ready(address, readiness)) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new HypervisorException(HypervisorException.Kind.TIMEOUT, machine,
                        "not ready within " + readiness.timeout() + " (" + describe(address, readiness) + ")");
            }
            Thread.sleep(PAUSE);
        }
    }

    static boolean ready(InetAddress address, VmSpec.Readiness readiness) {
        return ready(address, readiness, ATTEMPT);
    }

    /**
     * One probe: whether the guest answers now, as {@link #await} judges it (heartbeats use it too),
     * connecting and reading within {@code attempt}.
     */
    public static boolean ready(InetAddress address, VmSpec.Readiness readiness, Duration attempt) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, readiness.port()), (int) attempt.toMillis());
            return switch (readiness) {
                case VmSpec.TcpReadiness tcp -> staysOpen(socket);
                case VmSpec.HttpReadiness http -> answers2xx(socket, address, http.path(), attempt);
            };
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean staysOpen(Socket socket) throws IOException {
        socket.setSoTimeout((int) QUIET.toMillis());
        try {
            return socket.getInputStream().read() != -1;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    private static boolean answers2xx(Socket socket, InetAddress address, String path, Duration attempt)
            throws IOException {
        socket.setSoTimeout((int) attempt.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.0\r\nHost: " + address.getHostAddress() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] head = new byte[12];
        int n = 0;
        while (n < head.length) {
            int r = in.read(head, n, head.length - n);
            if (r < 0) {
                return false;
            }
            n += r;
        }
        String status = new String(head, StandardCharsets.US_ASCII);
        return status.startsWith("HTTP/1.") && status.charAt(9) == '2';
    }

    private static String describe(InetAddress address, VmSpec.Readiness readiness) {
        String target = address.getHostAddress() + ":" + readiness.port();
        return switch (readiness) {
            case VmSpec.TcpReadiness tcp -> "TCP " + target;
            case VmSpec.HttpReadiness http -> "GET http://" + target + http.path();
        };
    }
}
