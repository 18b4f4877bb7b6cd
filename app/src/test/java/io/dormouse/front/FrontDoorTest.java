package io.dormouse.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dormouse.config.FrontConfig;
import io.dormouse.telemetry.Activity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The front door against in-process echo servers standing in for VMs, and a fleet the test sets. */
class FrontDoorTest {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Inet4Address LOCAL = (Inet4Address) InetAddress.getLoopbackAddress();
    private static final String VM = "web";

    private final FakeBackends backends = new FakeBackends();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private EchoServer echo;
    private Inet4Address front;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        closing.add(echo);
        front = frontAddress();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void aRunningVmIsSplicedBothWaysAndAHalfCloseReachesIt() throws Exception {
        backends.put(up());
        FrontDoor door = door(settings());

        try (Socket s = connect()) {
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertThat(readAll(s)).as("echo, then the trailer the VM sends after the client's FIN")
                    .isEqualTo("hello|end");
        }
        awaitInactive(door);
        Traffic.Counts c = door.traffic().counts().get(VM);
        assertThat(c.opened()).isEqualTo(1);
        assertThat(c.bytesIn()).isEqualTo(5);
        assertThat(c.bytesOut()).isEqualTo(5 + EchoServer.TRAILER.length);
        assertThat(c.lastDemandAt()).isNotNull();
        assertThat(backends.touches).hasValue(1);
        assertThat(registry.get("dormouse.front.bytes").tag("vm", VM).tag("direction", "in").functionCounter().count())
                .isEqualTo(5);
        assertThat(door.activity(1)).as("the telemetry sampler's view, by VM id")
                .contains(new Activity(1, 5, 5 + EchoServer.TRAILER.length));
        assertThat(door.activity(2)).as("a VM the front door does not serve").isEmpty();
    }

    @Test
    void aRunningVmsNewConnectionsAreRoutedByTheKernelAndStillMetered() throws Exception {
        backends.put(up());
        FrontDoor door = door(settings().routed());
        assertThat(door.routed()).as("routed from the first sync after the start").isEmpty();
        door.sync();
        assertThat(door.routed()).containsEntry(VM, List.of(front.getHostAddress() + ":" + echo.port()));

        try (Socket s = connect()) {
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertThat(readAll(s)).isEqualTo("hello|end");
            assertThat(echo.peers()).as("the VM saw the client itself: nothing in between")
                    .containsExactly(s.getLocalSocketAddress());
        }
        Traffic.Counts c = door.traffic().counts().get(VM);
        assertThat(c.opened()).isEqualTo(1);
        assertThat(c.bytesIn()).as("IP bytes, headers included").isGreaterThan(5);
        assertThat(c.bytesOut()).isGreaterThan(5 + EchoServer.TRAILER.length);
        assertThat(c.lastDemandAt()).isNotNull();
        assertThat(backends.touches).as("routed traffic is activity too").hasPositiveValue();
        assertThat(registry.get("dormouse.front.connections").tag("vm", VM).functionCounter().count()).isEqualTo(1);
    }

    @Test
    void aLeavingVmsConnectionsComeBackToTheFrontDoorAtOnce() throws Exception {
        backends.put(up());
        FrontDoor door = door(settings().routed());
        door.sync();
        assertThat(door.routed()).containsKey(VM);
        door.withdraw(VM);
        assertThat(door.routed()).isEmpty();
        try (Socket s = connect()) {
            s.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertThat(readAll(s)).isEqualTo("x|end");
            assertThat(echo.peers()).as("spliced: the VM saw the front door's connection")
                    .hasSize(1).doesNotContain(s.getLocalSocketAddress());
        }
        backends.put(asleep());
        door.sync();
        assertThat(door.routed()).as("a sleeping VM has no route").isEmpty();
    }

    @Test
    void aVmWithABandwidthLimitIsSplicedSoThatTheLimitHolds() throws Exception {
        backends.put(up());
        FrontDoor door = door(settings().routed());
        door.limit(VM, 1_000_000); // a saved limit, set before the first sync: never routed past
        door.sync();
        assertThat(door.routed()).isEmpty();
        door.limit(VM, 0);
        door.sync();
        assertThat(door.routed()).containsKey(VM);
        door.limit(VM, 1_000_000);
        assertThat(door.routed()).as("withdrawn at once").isEmpty();
        door.sync();
        assertThat(door.routed()).isEmpty();
        door.limit(VM, 0);
        door.sync();
        assertThat(door.routed()).containsKey(VM);
    }

    @Test
    void aLargeTransferArrivesIntact() throws Exception {
        backends.put(up());
        door(settings());
        byte[] data = new byte[8 << 20];
        new java.util.Random(7).nextBytes(data);
        try (Socket s = connect()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] back = s.getInputStream().readAllBytes();
            writer.join();
            assertThat(back).hasSize(data.length + EchoServer.TRAILER.length);
            assertThat(java.util.Arrays.equals(back, 0, data.length, data, 0, data.length)).isTrue();
        }
    }

    @Test
    void connectionsToASleepingVmWakeItOnceAreHeldAndSplicedWhenItRuns() throws Exception {
        backends.put(asleep());
        FrontDoor door = door(settings());
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Socket s = connect();
            s.getOutputStream().write(("c" + i).getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            clients.add(s);
        }
        awaitHeld(5);
        assertThat(door.traffic().counts().get(VM).active()).isEqualTo(5);
        backends.put(up());
        backends.wake.complete(LOCAL);
        for (int i = 0; i < 5; i++) {
            try (Socket s = clients.get(i)) {
                assertThat(readAll(s)).isEqualTo("c" + i + "|end");
            }
        }
        assertThat(backends.wakes).as("wake calls, one per held connection (the coordinator joins them)").hasValue(5);
        assertThat(door.traffic().counts().get(VM).lastWakeAt()).isNotNull();
    }

    @Test
    void aHeldConnectionWaitsForItsPortWhenTheVmWokeWithOnlyItsReadinessPortOpen() throws Exception {
        int port = echo.port();
        echo.close();
        backends.put(asleep());
        door(settings());
        try (Socket s = connect()) {
            s.getOutputStream().write("late".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            awaitHeld(1);
            backends.put(up());
            backends.wake.complete(LOCAL);
            Thread.sleep(300);
            closing.add(new EchoServer(port));
            assertThat(readAll(s)).isEqualTo("late|end");
        }
    }

    @Test
    void aConnectionOverTheHoldLimitIsClosedWithFinAndLogged() throws Exception {
        backends.put(asleep());
        door(settings().holdLimit(2).build());
        Socket first = connect();
        Socket second = connect();
        awaitHeld(2);
        try (Socket third = connect()) {
            third.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            third.setSoTimeout(5000);
            assertThat(third.getInputStream().read()).as("end of stream (FIN), not a reset or a hang").isEqualTo(-1);
        }
        assertThat(refused("hold-limit")).isEqualTo(1);
        first.close();
        second.close();
    }

    @Test
    void aHeldConnectionIsClosedWhenTheHoldTimeoutPasses() throws Exception {
        backends.put(asleep());
        FrontDoor door = door(settings().holdTimeout(Duration.ofMillis(200)).build());
        try (Socket s = connect()) {
            s.setSoTimeout(5000);
            long start = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
        assertThat(refused("hold-timeout")).isEqualTo(1);
        awaitInactive(door);
    }

    @Test
    void aFailedWakeClosesTheHeldConnections() throws Exception {
        backends.put(asleep());
        door(settings());
        try (Socket s = connect()) {
            awaitHeld(1);
            backends.wake.completeExceptionally(new IllegalStateException("no room"));
            s.setSoTimeout(5000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(refused("wake-failed")).isEqualTo(1);
    }

    @Test
    void aStoppedVmClosesConnectionsWithoutAWake() throws Exception {
        backends.put(new Target(1, VM, front, List.of(echo.port()), Target.Readiness.DOWN, null, "stopped"));
        door(settings());
        try (Socket s = connect()) {
            s.setSoTimeout(5000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(backends.wakes).hasValue(0);
        assertThat(refused("down")).isEqualTo(1);
    }

    @Test
    void excludedSourcesAreSplicedButNotCountedAndNeverWake() throws Exception {
        backends.put(up());
        FrontDoor door = door(settings().excludedSource(LOCAL::equals).build());
        try (Socket excluded = connect(LOCAL)) {
            excluded.getOutputStream().write("hc".getBytes(StandardCharsets.US_ASCII));
            excluded.shutdownOutput();
            assertThat(readAll(excluded)).isEqualTo("hc|end");
        }
        assertThat(door.traffic().counts()).as("nothing metered for the excluded source").doesNotContainKey(VM);
        assertThat(backends.touches).as("nor noted as activity in the fleet").hasValue(0);
        try (Socket counted = connect((Inet4Address) InetAddress.ofLiteral("127.0.0.2"))) {
            counted.shutdownOutput();
            assertThat(readAll(counted)).isEqualTo("|end");
        }
        awaitInactive(door);
        assertThat(door.traffic().counts().get(VM).opened()).isEqualTo(1);

        backends.put(asleep());
        try (Socket excluded = connect(LOCAL)) {
            excluded.setSoTimeout(5000);
            assertThat(excluded.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(backends.wakes).as("an excluded connection does not wake the VM").hasValue(0);
        assertThat(door.traffic().counts().get(VM).opened()).isEqualTo(1);
    }

    @Test
    void excludedPortsAreNotDemand() throws Exception {
        backends.put(up());
        FrontDoor door = door(settings().excludePorts(Set.of(echo.port())).build());
        try (Socket s = connect()) {
            s.shutdownOutput();
            assertThat(readAll(s)).isEqualTo("|end");
        }
        assertThat(door.traffic().counts()).doesNotContainKey(VM);
    }

    @Test
    void listenersFollowTheFleet() throws Exception {
        FrontDoor door = door(settings());
        assertThat(door.listening()).isEmpty();
        backends.put(up());
        door.sync();
        assertThat(door.listening().get(VM)).containsExactly(front.getHostAddress() + ":" + echo.port());
        connect().close();
        backends.remove(VM);
        door.sync();
        assertThat(door.listening()).isEmpty();
        assertThatThrownBy(this::connect).as("refused or reset: nothing listens").isInstanceOf(SocketException.class);
    }

    @Test
    void aVmStaysAwakeForTheMinimumAfterAWakeAndWhileAConnectionIsOpen() throws Exception {
        ManualClock clock = new ManualClock();
        backends.put(asleep());
        FrontDoor door = door(settings().minAwake(Duration.ofMinutes(2)).build(), clock);
        assertThat(door.traffic().keepAwake(VM)).isFalse();
        backends.put(up());
        door.sync();
        assertThat(door.traffic().keepAwake(VM)).as("just woken").isTrue();
        clock.advance(Duration.ofMinutes(2));
        assertThat(door.traffic().keepAwake(VM)).as("min-awake passed").isFalse();
        try (Socket s = connect()) {
            s.getOutputStream().write(1);
            s.getInputStream().read();
            assertThat(door.traffic().keepAwake(VM)).as("a connection is open").isTrue();
        }
        awaitInactive(door);
        assertThat(door.traffic().keepAwake(VM)).isFalse();
    }

    @Test
    void aBandwidthLimitSlowsTheSpliceToItsRate() throws Exception {
        backends.put(up());
        FrontDoor door = door(settings());
        door.limit(VM, 1 << 20);
        assertThat(door.bandwidth(VM)).isEqualTo(1 << 20);
        assertThatThrownBy(() -> door.limit(VM, -1)).hasMessageContaining("bytesPerSecond");
        byte[] data = new byte[512 * 1024];
        long start = System.nanoTime();
        try (Socket s = connect()) {
            Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(s.getInputStream().readAllBytes()).hasSize(data.length + EchoServer.TRAILER.length);
        }
        // 1 MiB in both directions together at 1 MiB/s, less the first burst (a tenth of the rate)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(800));
    }

    private FrontDoor door(FrontSettings settings) {
        return door(settings, InstantSource.system());
    }

    private FrontDoor door(FrontSettings settings, InstantSource clock) {
        FrontDoor door = FrontDoor.start(settings, backends, registry, clock);
        closing.add(door);
        return door;
    }

    private Target up() {
        return new Target(1, VM, front, List.of(echo.port()), Target.Readiness.UP, LOCAL, "running");
    }

    private Target asleep() {
        return new Target(1, VM, front, List.of(echo.port()), Target.Readiness.ASLEEP, null, "hibernated");
    }

    private Socket connect() throws IOException {
        return connect(LOCAL);
    }

    private Socket connect(Inet4Address from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(front, echo.port()), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String readAll(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    private double refused(String reason) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            var counter = registry.find("dormouse.front.refused").tag("vm", VM).tag("reason", reason).counter();
            if (counter != null) {
                return counter.count();
            }
            Thread.sleep(10);
        }
        return 0;
    }

    private void awaitHeld(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            var gauge = registry.find("dormouse.front.connections.held").tag("vm", VM).gauge();
            if (gauge != null && gauge.value() == n) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(n + " connections were not held within 5 s");
    }

    private static void awaitInactive(FrontDoor door) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Traffic.Counts c = door.traffic().counts().get(VM);
            if (c == null || c.active() == 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("connections still active after 5 s");
    }

    /** A front address of this test alone: 127.9.x.y, x from the process id so concurrent runs differ. */
    private static Inet4Address frontAddress() {
        int n = NEXT.incrementAndGet();
        int x = (int) (ProcessHandle.current().pid() % 250) + 1;
        return (Inet4Address) InetAddress.ofLiteral("127.9." + x + "." + n);
    }

    private static Settings settings() {
        return new Settings();
    }

    /** Test settings: short sync, defaults otherwise, one field changed at a time. */
    private static final class Settings {
        private int holdLimit = 64;
        private Duration holdTimeout = Duration.ofSeconds(10);
        private Predicate<InetAddress> excludedSource = client -> false;
        private Set<Integer> excludePorts = Set.of();
        private Duration minAwake = Duration.ofMinutes(1);
        private FrontSettings.Routing routing = FrontSettings.Routing.OFF;

        Settings holdLimit(int v) {
            holdLimit = v;
            return this;
        }

        Settings holdTimeout(Duration v) {
            holdTimeout = v;
            return this;
        }

        Settings excludedSource(Predicate<InetAddress> v) {
            excludedSource = v;
            return this;
        }

        Settings excludePorts(Set<Integer> v) {
            excludePorts = v;
            return this;
        }

        Settings minAwake(Duration v) {
            minAwake = v;
            return this;
        }

        /** Kernel routing on, in a table of this test's own. */
        Settings routed() {
            routing = new FrontSettings.Routing(FrontConfig.KernelRouting.ON,
                    "dormouse_test_front_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet(), List.of());
            return this;
        }

        FrontSettings build() {
            return new FrontSettings(true, holdLimit, holdTimeout, excludedSource, excludePorts, minAwake,
                    Duration.ofHours(1), routing);
        }
    }

    private FrontDoor door(Settings settings) {
        return door(settings.build());
    }

    private FrontDoor door(Settings settings, InstantSource clock) {
        return door(settings.build(), clock);
    }
}
