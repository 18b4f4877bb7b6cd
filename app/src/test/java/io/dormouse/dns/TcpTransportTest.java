package io.dormouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** TCP connection rules (RFC 7766) on a loopback port: idle timeout and the per-client cap. */
class TcpTransportTest {

    private DnsServer server;

    @BeforeEach
    void start() {
        FakeFleet fleet = new FakeFleet().running("web", "10.0.0.5");
        server = DnsServer.start(Fixture.defaults().withTcp(Duration.ofMillis(300), 2), fleet, fleet,
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        s.setSoTimeout(3000);
        return s;
    }

    private static int ask(Socket s) throws IOException {
        byte[] wire = ResponderTest.query("web.dormouse.test.", Type.A).toWire();
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(wire.length);
        out.write(wire);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] answer = new byte[in.readUnsignedShort()];
        in.readFully(answer);
        return new Message(answer).getRcode();
    }

    private static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true; // reset by the server
        }
    }

    @Test
    void idleConnectionIsClosedAfterTheTimeout() throws IOException {
        try (Socket s = connect()) {
            // Timed from the query: the server's idle clock starts after it read the query, so the close cannot
            // come sooner however late this thread gets to run on a busy machine.
            long start = System.nanoTime();
            assertThat(ask(s)).isZero();
            assertThat(closedByServer(s)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        }
    }

    @Test
    void connectionsBeyondThePerClientCapAreClosed() throws IOException {
        try (Socket a = connect(); Socket b = connect(); Socket c = connect()) {
            assertThat(ask(a)).isZero();
            assertThat(ask(b)).isZero();
            assertThat(closedByServer(c)).as("third connection from the same address").isTrue();
        }
    }
}
