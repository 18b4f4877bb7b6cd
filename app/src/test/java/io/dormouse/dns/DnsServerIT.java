package io.dormouse.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The DNS server on a loopback port, asked by real clients: kdig (knot-dnsutils) and dig (bind9-dnsutils). */
class DnsServerIT {

    private static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==";
    private static final VmStateRecord BIG = new VmStateRecord(12, "s3://dormouse-snapshots-eu-west-1/fleet/production/"
            + "b".repeat(150), Instant.parse("2026-11-22T06:00:00Z"), Duration.ofMillis(900), 4, 8192, 1000, 1);

    /** The one client address allowed to read {@code _vmstate} without a key; others on loopback are not. */
    private static final String ACL_CLIENT = "127.0.0.2";

    private static FakeFleet fleet;
    private static DnsServer server;
    private static String port;

    @BeforeAll
    static void start() {
        fleet = new FakeFleet(Duration.ofMillis(300))
                .running("web", "10.0.0.5")
                .running("big", "10.0.0.6", BIG)
                .hibernated("sleepy", "127.0.1.9").wakesAt("sleepy", "10.0.0.42")
                .hibernated("slow", "127.0.1.10");
        DnsSettings settings = DnsSettings.defaults("dormouse.test.", new InetSocketAddress("127.0.0.1", 0))
                .withVmstate(65280, List.of(Cidr.parse(ACL_CLIENT + "/32")), List.of(new TsigKey("ops-key", SECRET)));
        server = DnsServer.start(settings, fleet, fleet, new SimpleMeterRegistry());
        port = Integer.toString(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String kdig(String... args) {
        return run("kdig", "knot-dnsutils", args);
    }

    private static String dig(String... args) {
        return run("dig", "bind9-dnsutils", args);
    }

    private static String run(String program, String debianPackage, String... args) {
        if (!onPath(program)) {
            fail(program + " is not installed: install the Debian package " + debianPackage
                    + " (apt-get install -y " + debianPackage + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(program);
        command.add("@127.0.0.1");
        command.add("-p");
        command.add(port);
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 20 s");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void plainQueryWithAndWithoutEdns() {
        String out = dig("+norec", "web.dormouse.test", "A");
        assertThat(out).contains("status: NOERROR").containsPattern("flags: qr aa;")
                .containsPattern("web\\.dormouse\\.test\\.\\s+5\\s+IN\\s+A\\s+10\\.0\\.0\\.5")
                .contains("OPT PSEUDOSECTION");
        String noEdns = kdig("+noedns", "web.dormouse.test", "A");
        assertThat(noEdns).contains("status: NOERROR").contains("10.0.0.5").doesNotContain("EDNS PSEUDOSECTION");
    }

    @Test
    void ednsVersionOneIsBadvers() {
        assertThat(dig("+edns=1", "+noednsneg", "web.dormouse.test")).contains("status: BADVERS");
        assertThat(kdig("+edns=1", "web.dormouse.test")).contains("status: BADVERS");
    }

    @Test
    void unknownEdnsOptionIsIgnored() {
        assertThat(kdig("+ednsopt=65001:abcd", "web.dormouse.test"))
                .contains("status: NOERROR").contains("10.0.0.5");
    }

    @Test
    void unknownTypeIsNodataWithSoa() {
        String out = kdig("web.dormouse.test", "TYPE666");
        assertThat(out).contains("status: NOERROR").contains("ANSWER: 0").contains("AUTHORITY: 1")
                .containsPattern("dormouse\\.test\\.\\s+10\\s+IN\\s+SOA\\s+ns1\\.dormouse\\.test\\.");
    }

    @Test
    void unknownNameIsNxdomainWithSoaAndOutsideIsRefused() {
        assertThat(dig("nobody.dormouse.test")).contains("status: NXDOMAIN").containsPattern("IN\\s+SOA\\s+ns1");
        assertThat(dig("example.com")).contains("status: REFUSED");
    }

    @Test
    void tcpQuery() {
        assertThat(kdig("+tcp", "web.dormouse.test")).contains("10.0.0.5").contains("(TCP)");
        assertThat(dig("+tcp", "+keepopen", "web.dormouse.test", "big.dormouse.test", "dormouse.test", "SOA"))
                .contains("10.0.0.5").contains("10.0.0.6").contains("hostmaster.dormouse.test.");
    }

    @Test
    void pipelinedTcpQueriesAreAnsweredAsTheyAreReadyOutOfOrder() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            String[] names = {"slow.dormouse.test.", "web.dormouse.test.", "big.dormouse.test.", "nobody.dormouse.test."};
            for (int i = 0; i < names.length; i++) {
                Message q = ResponderTest.query(names[i], Type.A);
                q.getHeader().setID(100 + i);
                byte[] wire = q.toWire();
                out.writeShort(wire.length);
                out.write(wire);
            }
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                ids.add(new Message(answer).getHeader().getID());
            }
            assertThat(ids).as("the held answer for the sleeping VM comes last").containsExactlyInAnyOrder(100, 101, 102, 103);
            assertThat(ids.getLast()).isEqualTo(100);
        }
    }

    @Test
    void bigAnswerIsTruncatedAtASmallBufferAndRetriedOverTcp() {
        String truncated = kdig("-b", ACL_CLIENT, "+bufsize=512", "+ignore", "_vmstate.big.dormouse.test", "ANY");
        assertThat(truncated).containsPattern("Flags: qr aa tc").contains("(UDP)");
        // Without +ignore, kdig retries a truncated UDP answer over TCP by itself.
        String retried = kdig("-b", ACL_CLIENT, "+bufsize=512", "_vmstate.big.dormouse.test", "ANY");
        assertThat(retried).contains("TYPE65280").containsPattern("IN\\s+TXT").contains("(TCP)")
                .doesNotContain("Flags: qr aa tc");
    }

    @Test
    void cookiesAreAnswered() {
        assertThat(dig("+cookie", "web.dormouse.test")).containsPattern("COOKIE: [0-9a-f]{48} \\(good\\)")
                .contains("10.0.0.5");
    }

    @Test
    void vmstateNeedsTheTsigKey() {
        assertThat(kdig("_vmstate.web.dormouse.test", "TXT")).contains("status: REFUSED");
        assertThat(kdig("-b", ACL_CLIENT, "_vmstate.web.dormouse.test", "TXT")).as("the ACL needs no key")
                .contains("status: NOERROR").contains("location=");
        String signed = kdig("-y", "hmac-sha256:ops-key:" + SECRET, "_vmstate.web.dormouse.test", "TXT");
        assertThat(signed).contains("status: NOERROR").contains("\"location=file:///var/lib/dormouse/packs\"")
                .contains("TSIG PSEUDOSECTION").contains("ops-key.");
        assertThat(kdig("-y", "hmac-sha256:ops-key:" + SECRET, "_vmstate.web.dormouse.test", "TYPE65280"))
                .contains("TYPE65280").contains("\\# ");
        assertThat(kdig("-y", "hmac-sha256:ops-key:d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmch", "_vmstate.web.dormouse.test", "TXT"))
                .doesNotContain("location=");
    }

    @Test
    void hibernatedVmWakingWithinTheHoldAnswersTheNewAddress() throws IOException {
        long start = System.nanoTime();
        String out = kdig("+retry=0", "+timeout=5", "sleepy.dormouse.test");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(out).contains("status: NOERROR").containsPattern("sleepy\\.dormouse\\.test\\.\\s+5\\s+IN\\s+A\\s+10\\.0\\.0\\.42");
        assertThat(millis).as("answered after the 300 ms restore").isGreaterThanOrEqualTo(250);
        assertThat(fleet.wakeCalls("sleepy")).isEqualTo(1);
        Message again = udpQuery("sleepy.dormouse.test.");
        assertThat(again.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(((ARecord) again.getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress()).isEqualTo("10.0.0.42");
    }

    private static Message udpQuery(String name) throws IOException {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket()) {
            socket.setSoTimeout(5000);
            byte[] wire = ResponderTest.query(name, Type.A).toWire();
            socket.send(new java.net.DatagramPacket(wire, wire.length, new InetSocketAddress("127.0.0.1", server.port())));
            byte[] buffer = new byte[1232];
            java.net.DatagramPacket p = new java.net.DatagramPacket(buffer, buffer.length);
            socket.receive(p);
            return new Message(java.util.Arrays.copyOf(buffer, p.getLength()));
        }
    }
}
