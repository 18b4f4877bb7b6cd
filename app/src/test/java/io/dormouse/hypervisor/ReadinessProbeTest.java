package io.dormouse.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The probe against loopback servers that behave as a ready or not-ready guest behind user networking would. */
class ReadinessProbeTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aTcpPortIsReadyWhenTheConnectionStaysOpen() throws Exception {
        try (Server server = new Server(socket -> sleepQuietly(1000))) {
            assertThat(ReadinessProbe.ready(LOOPBACK, new VmSpec.TcpReadiness(server.port(), Duration.ofSeconds(1))))
                    .isTrue();
        }
    }

    @Test
    void aConnectionClosedAtOnceIsNotReady() throws Exception {
        // what QEMU's user networking does when the guest refuses the forwarded connection
        try (Server server = new Server(socket -> { })) {
            assertThat(ReadinessProbe.ready(LOOPBACK, new VmSpec.TcpReadiness(server.port(), Duration.ofSeconds(1))))
                    .isFalse();
        }
    }

    @Test
    void anHttpPathMustAnswer2xx() throws Exception {
        try (Server ok = new Server(socket -> answer(socket, "HTTP/1.0 200 OK\r\n\r\nok"));
             Server failing = new Server(socket -> answer(socket, "HTTP/1.0 503 Unavailable\r\n\r\n"))) {
            assertThat(ReadinessProbe.ready(LOOPBACK, new VmSpec.HttpReadiness(ok.port(), "/healthz",
                    Duration.ofSeconds(1)))).isTrue();
            assertThat(ReadinessProbe.ready(LOOPBACK, new VmSpec.HttpReadiness(failing.port(), "/healthz",
                    Duration.ofSeconds(1)))).isFalse();
        }
    }

    @Test
    void awaitTimesOutOrSeesTheProcessGone() throws Exception {
        try (Server failing = new Server(socket -> answer(socket, "HTTP/1.0 500 Oops\r\n\r\n"))) {
            VmSpec.Readiness readiness = new VmSpec.HttpReadiness(failing.port(), "/", Duration.ofMillis(300));
            assertThatThrownBy(() -> ReadinessProbe.await("web", LOOPBACK, readiness, () -> true))
                    .isInstanceOfSatisfying(HypervisorException.class,
                            e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.TIMEOUT))
                    .hasMessageContaining("GET http://127.0.0.1:" + failing.port() + "/");
            assertThatThrownBy(() -> ReadinessProbe.await("web", LOOPBACK, readiness, () -> false))
                    .isInstanceOfSatisfying(HypervisorException.class,
                            e -> assertThat(e.kind()).isEqualTo(HypervisorException.Kind.CRASHED));
        }
    }

    private static void answer(Socket socket, String response) {
        try {
            socket.getInputStream().read(new byte[1024]);
            socket.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the probe hung up first
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Accepts connections on an ephemeral loopback port and hands each to a handler, then closes it. */
    private static final class Server implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket();
        private final Thread acceptor;

        Server(Consumer<Socket> handler) throws IOException {
            socket.bind(new InetSocketAddress(LOOPBACK, 0));
            acceptor = Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                handler.accept(s);
                            } catch (IOException e) {
                                // closed by the probe
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(1000);
        }
    }
}
