package io.dormouse.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel's routes of running VMs' connections, with the real {@code nft} and {@code conntrack} on
 * loopback addresses no server uses (127.93.0.0/16): a route carries a connection past the front address,
 * counts it, and is gone once withdrawn; excluded sources are never routed.
 */
class KernelRoutesTest {

    private static final Inet4Address FRONT = address("127.93.0.5");
    private static final Inet4Address OTHER_FRONT = address("127.93.0.6");
    private static final Inet4Address VM = address("127.93.1.5");
    private static final String EXCLUDED = "127.93.2.9";

    private final String table = "dormouse_test_" + ThreadLocalRandom.current().nextInt(1_000_000);
    private KernelRoutes routes;
    private ServerSocket vm;
    private ServerSocket frontDoor;

    @BeforeEach
    void open() throws IOException {
        routes = KernelRoutes.open(table, List.of(EXCLUDED + "/32", "fd00::/8"));
        vm = listen(VM, 0);
        vm.setSoTimeout(10_000); // a connection that went elsewhere fails the test instead of hanging it
        frontDoor = listen(FRONT, vm.getLocalPort());
    }

    @AfterEach
    void close() throws IOException {
        routes.close();
        vm.close();
        frontDoor.close();
    }

    @Test
    void aRoutedConnectionReachesTheVmPastTheFrontDoorAndIsCounted() throws Exception {
        int port = vm.getLocalPort();
        routes.apply(List.of(new KernelRoutes.Route(FRONT, port, VM)), List.of(FRONT, OTHER_FRONT));
        try (Socket client = new Socket(FRONT, port); Socket served = vm.accept()) {
            assertThat(served.getLocalAddress()).as("the VM's end").isEqualTo(VM);
            client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(served.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
            served.getOutputStream().write(new byte[10_000]);
            assertThat(client.getInputStream().readNBytes(10_000)).hasSize(10_000);

            KernelRoutes.Totals totals = routes.totals().get(FRONT);
            assertThat(totals.opened()).as("connections opened").isEqualTo(1);
            assertThat(totals.active()).as("established now").isEqualTo(1);
            assertThat(totals.bytesIn()).as("IP bytes in, headers included").isGreaterThan(4).isLessThan(2_000);
            assertThat(totals.bytesOut()).as("IP bytes out").isGreaterThan(10_000).isLessThan(12_000);
            assertThat(routes.totals().get(OTHER_FRONT)).as("a front address without traffic")
                    .isEqualTo(KernelRoutes.Totals.NONE);
            client.shutdownOutput();
            assertThat(served.getInputStream().read()).isEqualTo(-1);
            assertThat(routes.totals().get(FRONT).active()).as("half-closed, open still").isEqualTo(1);
        }
        Thread.sleep(100);
        assertThat(routes.totals().get(FRONT).active()).as("after both ends closed").isZero();
    }

    @Test
    void aWithdrawnRouteLeavesNewConnectionsToTheFrontDoor() throws Exception {
        int port = vm.getLocalPort();
        routes.apply(List.of(new KernelRoutes.Route(FRONT, port, VM)), List.of(FRONT));
        routes.withdraw(FRONT);
        assertThat(routes.routes()).isEmpty();
        try (Socket client = new Socket(FRONT, port); Socket held = frontDoor.accept()) {
            assertThat(held.getLocalAddress()).as("the front door's end").isEqualTo(FRONT);
        }
        assertThat(routes.totals().get(FRONT).opened()).as("not routed, not counted here").isZero();

        routes.apply(List.of(new KernelRoutes.Route(FRONT, port, VM)), List.of(FRONT));
        routes.apply(List.of(), List.of(FRONT));
        assertThat(routes.routes()).as("routes applied away").isEmpty();
        try (Socket client = new Socket(FRONT, port); Socket held = frontDoor.accept()) {
            assertThat(held.getLocalAddress()).isEqualTo(FRONT);
        }
    }

    @Test
    void anExcludedSourceIsNeverRoutedNorCounted() throws Exception {
        int port = vm.getLocalPort();
        routes.apply(List.of(new KernelRoutes.Route(FRONT, port, VM)), List.of(FRONT));
        try (Socket client = new Socket(FRONT, port, InetAddress.getByName(EXCLUDED), 0);
             Socket held = frontDoor.accept()) {
            assertThat(held.getInetAddress().getHostAddress()).isEqualTo(EXCLUDED);
        }
        assertThat(routes.totals().get(FRONT)).isEqualTo(KernelRoutes.Totals.NONE);
    }

    @Test
    void aFrontAddressNoLongerMeteredLosesItsCounts() throws Exception {
        int port = vm.getLocalPort();
        routes.apply(List.of(new KernelRoutes.Route(FRONT, port, VM)), List.of(FRONT));
        echoOnce(port);
        assertThat(routes.totals().get(FRONT).opened()).isEqualTo(1);
        routes.apply(List.of(), List.of());
        assertThat(routes.totals()).isEmpty();
        routes.apply(List.of(new KernelRoutes.Route(FRONT, port, VM)), List.of(FRONT));
        assertThat(routes.totals().get(FRONT).opened()).as("counted afresh").isZero();
    }

    @Test
    void closingDeletesTheTableAndOpeningAgainReplacesALeftOne() throws Exception {
        int port = vm.getLocalPort();
        routes.apply(List.of(new KernelRoutes.Route(FRONT, port, VM)), List.of(FRONT));
        try (KernelRoutes again = KernelRoutes.open(table, List.of())) {
            assertThat(again.totals()).as("a table left by a former process starts empty").isEmpty();
            try (Socket client = new Socket(FRONT, port); Socket held = frontDoor.accept()) {
                assertThat(held.getLocalAddress()).as("its routes are gone").isEqualTo(FRONT);
            }
        }
        assertThatThrownBy(routes::totals).isInstanceOf(IOException.class).hasMessageContaining("nft -j list table");
        routes = KernelRoutes.open(table, List.of());
    }

    @Test
    void aTableChangedBehindItsBackIsBuiltAgainAtTheNextChange() throws Exception {
        int port = vm.getLocalPort();
        routes.apply(List.of(new KernelRoutes.Route(FRONT, port, VM)), List.of(FRONT));
        Process delete = new ProcessBuilder("nft", "delete", "table", "ip", table).start();
        assertThat(delete.waitFor()).isZero();
        routes.apply(List.of(new KernelRoutes.Route(FRONT, port, VM)), List.of(FRONT, OTHER_FRONT));
        echoOnce(port);
        assertThat(routes.totals().get(FRONT).opened()).as("routed and counted again").isEqualTo(1);
    }

    @Test
    void aTableGoneBetweenChangesIsBuiltAgainOnceAReadingMissesIt() throws Exception {
        int port = vm.getLocalPort();
        List<KernelRoutes.Route> wanted = List.of(new KernelRoutes.Route(FRONT, port, VM));
        routes.apply(wanted, List.of(FRONT));
        assertThat(new ProcessBuilder("nft", "delete", "table", "ip", table).start().waitFor()).isZero();
        assertThatThrownBy(routes::totals).isInstanceOf(IOException.class);
        routes.apply(wanted, List.of(FRONT)); // nothing changed, as at a sync
        echoOnce(port);
        assertThat(routes.totals().get(FRONT).opened()).as("routed and counted again").isEqualTo(1);
    }

    @Test
    void aTableNameNftWouldMisreadIsRefused() {
        assertThatThrownBy(() -> KernelRoutes.open("dormouse; flush ruleset", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case letters");
    }

    @Test
    void theTableHoldsOnlyTheRoutesAsked() throws Exception {
        int port = vm.getLocalPort();
        routes.apply(List.of(new KernelRoutes.Route(FRONT, port, VM), new KernelRoutes.Route(FRONT, port + 1, VM)),
                List.of(FRONT));
        routes.apply(List.of(new KernelRoutes.Route(FRONT, port, VM)), List.of(FRONT));
        assertThat(routes.routes()).containsExactly(new KernelRoutes.Route(FRONT, port, VM));
        assertThat(Set.of(listing().split("\n")).stream().filter(l -> l.contains("127.93.1.5")).toList())
                .as("map elements in the kernel").hasSize(1);
        assertThatThrownBy(() -> new Socket(FRONT, port + 1)).isInstanceOf(ConnectException.class);
    }

    private void echoOnce(int port) throws IOException {
        try (Socket client = new Socket(FRONT, port); Socket served = vm.accept()) {
            OutputStream out = client.getOutputStream();
            out.write(1);
            InputStream in = served.getInputStream();
            assertThat(in.read()).isEqualTo(1);
        }
    }

    private String listing() throws Exception {
        Process p = new ProcessBuilder("nft", "list", "map", "ip", table, "routes").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private static ServerSocket listen(Inet4Address address, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(address, port));
        return s;
    }

    private static Inet4Address address(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
