package io.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unbound (a recursive resolver) in front of dormouse, the zone handed to it by a stub zone, as
 * docs/dns.md describes: dig asks Unbound, which wakes a real hibernated guest through dormouse.
 */
class UnboundIT {

    private static final String VM = "demo-1";

    @TempDir
    static Path dir;

    private static DemoServer server;
    private static Process unbound;
    private static Path unboundLog;
    private static int unboundPort;

    @BeforeAll
    static void start() throws Exception {
        Path program = ExternalProgram.UNBOUND.require();
        ExternalProgram.DIG.require();
        server = DemoServer.start(dir.resolve("dormouse"), Map.of("dns.hold-budget", DnsWakeIT.HOLD_BUDGET.toMillis() + "ms"));
        server.createDemo(VM);
        Path conf = Files.createDirectories(dir.resolve("unbound"));
        unboundPort = freeUdpPort();
        Files.writeString(conf.resolve("unbound.conf"), config(conf, unboundPort, server.dnsPort()));
        unboundLog = conf.resolve("unbound.log");
        unbound = new ProcessBuilder(program.toString(), "-d", "-c", conf.resolve("unbound.conf").toString())
                .redirectErrorStream(true).redirectOutput(unboundLog.toFile()).start();
        awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (unbound != null) {
            unbound.destroy();
            if (!unbound.waitFor(10, TimeUnit.SECONDS)) {
                unbound.destroyForcibly();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * The resolver configuration: loopback only, no daemon, no chroot, no trust anchor and no remote
     * control; every zone but the fleet's is refused, so nothing leaves the machine.
     */
    static String config(Path directory, int port, int dormousePort) {
        return """
                server:
                    interface: 127.0.0.1@%1$d
                    port: %1$d
                    do-ip6: no
                    do-daemonize: no
                    chroot: ""
                    username: ""
                    pidfile: ""
                    directory: "%2$s"
                    logfile: ""
                    use-syslog: no
                    num-threads: 1
                    module-config: "iterator"
                    access-control: 127.0.0.0/8 allow
                    do-not-query-localhost: no
                    domain-insecure: "dormouse.test"
                    local-zone: "test." nodefault
                    local-zone: "." refuse
                    local-zone: "dormouse.test." transparent
                    serve-expired: no
                remote-control:
                    control-enable: no
                stub-zone:
                    name: "dormouse.test"
                    stub-addr: 127.0.0.1@%3$d
                """.formatted(port, directory, dormousePort);
    }

    @Test
    void digThroughUnboundWakesTheGuestWithItsMemoryIntact() throws Exception {
        String address = server.vm(VM).path("address").asText();
        long before = DemoServer.count(address);
        server.hibernate(VM);

        long start = System.nanoTime();
        String out = dig("+tries=1", "+timeout=40", VM + ".dormouse.test", "A");
        System.out.printf("UnboundIT: Unbound answered for the hibernated %s in %d ms%n", VM,
                (System.nanoTime() - start) / 1_000_000);
        assertThat(out).as(out + log()).contains("status: NOERROR");
        Matcher a = Pattern.compile("demo-1\\.dormouse\\.test\\.\\s+\\d+\\s+IN\\s+A\\s+(\\S+)").matcher(out);
        assertThat(a.find()).as("an A record in\n" + out).isTrue();
        String woken = a.group(1);
        assertThat(woken).as("the woken guest's address").isEqualTo(server.vm(VM).path("address").asText());
        assertThat(DemoServer.count(woken)).as("the counter continues from its value before hibernation")
                .isEqualTo(before + 1);
        assertThat(server.eventReasons(VM)).last().isEqualTo("running:dns");
    }

    @Test
    void unknownNameThroughUnboundIsNxdomain() {
        String out = dig("nobody.dormouse.test", "A");
        assertThat(out).as(out + log()).contains("status: NXDOMAIN").doesNotContain("flags: qr aa")
                .containsPattern("dormouse\\.test\\.\\s+\\d+\\s+IN\\s+SOA\\s+ns1\\.dormouse\\.test\\.");
    }

    @Test
    void namesOutsideTheFleetNeverLeaveTheMachine() {
        assertThat(dig("example.com", "A")).as(log()).contains("status: REFUSED");
    }

    private static String dig(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "@127.0.0.1";
        all[1] = "-p";
        all[2] = Integer.toString(unboundPort);
        System.arraycopy(args, 0, all, 3, args.length);
        return ExternalProgram.DIG.run(Duration.ofSeconds(60), all);
    }

    /** Waits until Unbound answers through the stub zone (NXDOMAIN for a name that is no VM). */
    private static void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!unbound.isAlive()) {
                fail("unbound exited with " + unbound.exitValue() + log());
            }
            if (dig("+tries=1", "+timeout=1", "ready.dormouse.test", "A").contains("status: NXDOMAIN")) {
                return;
            }
            Thread.sleep(200);
        }
        fail("unbound did not answer through the stub zone within 20 s" + log());
    }

    private static String log() {
        try {
            return "\n--- unbound's log ---\n" + Files.readString(unboundLog);
        } catch (IOException e) {
            return "\n(unbound's log unreadable: " + e + ")";
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
