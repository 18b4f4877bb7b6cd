package io.dormouse.dns;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * A DNS server over a fake fleet of running VMs {@code vm-0 .. vm-(N-1)} at 10.x.y.z, for
 * {@code bench/dns}. Test scope only. Usage: {@code DnsBenchServer PORT [VMS] [ZONE]}; prints
 * {@code ready PORT} and serves until killed.
 */
public final class DnsBenchServer {

    private DnsBenchServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        int vms = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String zone = args.length > 2 ? args[2] : "dormouse.test.";
        FakeFleet fleet = new FakeFleet();
        for (int i = 0; i < vms; i++) {
            fleet.running("vm-" + i, address(i));
        }
        // dnsperf is one source sending far above the per-source limit: the limit is checked but set out of reach.
        DnsSettings settings = DnsSettings.defaults(zone, new InetSocketAddress("127.0.0.1", port))
                .withUdp(new DnsSettings.Udp(new DnsSettings.Rate(1e9, 1_000_000_000), 0,
                        DnsSettings.Udp.DEFAULTS.penaltyDuration(), 0));
        DnsServer server = DnsServer.start(settings, fleet, fleet, new SimpleMeterRegistry());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("ready " + server.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** The address of {@code vm-i}; bench/dns writes the same into Knot's zone file. */
    static String address(int i) {
        return "10." + ((i >> 16) & 0xFF) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF);
    }
}
