package io.dormouse.front;

import io.dormouse.config.FrontConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Throughput and added latency through the front door against a direct connection on loopback: to a
 * running VM, whose connections the kernel routes (when it may), and spliced by the front door itself.
 * The peers are plain blocking sockets on platform threads, the same for both paths: a sink that
 * reads a stream and acknowledges its last byte, and an echo for ping-pong round trips.
 * Prints a Markdown table. Arguments: {@code [MiB per throughput run] [round trips per latency run]}.
 */
public final class FrontBench {

    /** Rounds of back-to-back runs (direct, then through the front door each way). */
    private static final int RUNS = 9;
    private static final int MESSAGE = 64;

    private FrontBench() {
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 2048;
        int trips = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Inet4Address local = (Inet4Address) InetAddress.getLoopbackAddress();
        Inet4Address routedFront = (Inet4Address) InetAddress.ofLiteral("127.9.250.1");
        Inet4Address splicedFront = (Inet4Address) InetAddress.ofLiteral("127.9.250.2");
        try (ServerSocket sink = server(FrontBench::sink); ServerSocket echo = server(FrontBench::echo);
             FrontDoor routedDoor = door(routedFront, sink, echo, new FrontSettings.Routing(
                     FrontConfig.KernelRouting.AUTO, "dormouse_bench", List.of()));
             FrontDoor splicedDoor = door(splicedFront, sink, echo, FrontSettings.Routing.OFF)) {
            boolean routing = !routedDoor.routed().isEmpty();
            List<Path> paths = new ArrayList<>();
            paths.add(new Path("direct to 127.0.0.1", local));
            if (routing) {
                paths.add(new Path("front door, running VM (kernel-routed)", routedFront));
            }
            paths.add(new Path("front door, spliced (held, limited or excluded connections)", splicedFront));
            for (Path path : paths) { // warm-up: JIT every path before measuring
                throughput(path.sink(sink), 256);
                latencies(path.echo(echo), 5000);
            }
            for (int i = 0; i < RUNS; i++) { // one run of each path back to back: a round shares the machine's state
                for (Path path : paths) {
                    path.mibPerSecond[i] = throughput(path.sink(sink), mib);
                }
            }
            for (Path path : paths) {
                path.rtt = latencies(path.echo(echo), trips);
            }
            Path direct = paths.getFirst();
            System.out.println("| path | throughput, median of " + RUNS + " (MiB/s) | of direct, median of "
                    + RUNS + " rounds | round trip p50 (µs) | p99 (µs) |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (Path path : paths) {
                System.out.println(path.row(direct));
            }
            System.out.println();
            for (Path path : paths.subList(1, paths.size())) {
                double[] ratios = path.ratios(direct);
                System.out.printf(Locale.ROOT, "%s: %.0f%% of direct throughput (median of the %d rounds' ratios;"
                        + " %.0f to %.0f%%), %.1f µs added to a round trip at p50, %.1f µs at p99.%n",
                        path.name(), median(ratios), RUNS, min(ratios), max(ratios),
                        (percentile(path.rtt, 50) - percentile(direct.rtt, 50)) / 1000.0,
                        (percentile(path.rtt, 99) - percentile(direct.rtt, 99)) / 1000.0);
            }
            if (!routing) {
                System.out.println("Kernel routing was not available (nft and conntrack, run as root): only the"
                        + " spliced path was measured.");
            }
            System.out.printf(Locale.ROOT, "Each throughput run sends %d MiB in 256 KiB writes on one connection;"
                    + " each latency run is %d round trips of %d bytes on one connection.%n", mib, trips, MESSAGE);
        }
    }

    /** One way to the peers: a front address (or the peers' own) and its measurements. */
    private static final class Path {
        private final String name;
        private final Inet4Address address;
        private final double[] mibPerSecond = new double[RUNS];
        private long[] rtt;

        Path(String name, Inet4Address address) {
            this.name = name;
            this.address = address;
        }

        String name() {
            return name;
        }

        InetSocketAddress sink(ServerSocket sink) {
            return new InetSocketAddress(address, sink.getLocalPort());
        }

        InetSocketAddress echo(ServerSocket echo) {
            return new InetSocketAddress(address, echo.getLocalPort());
        }

        double[] ratios(Path direct) {
            double[] ratios = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                ratios[i] = 100 * mibPerSecond[i] / direct.mibPerSecond[i];
            }
            return ratios;
        }

        String row(Path direct) {
            return String.format(Locale.ROOT, "| %s | %.0f | %.0f%% | %.1f | %.1f |", name, median(mibPerSecond),
                    median(ratios(direct)), percentile(rtt, 50) / 1000.0, percentile(rtt, 99) / 1000.0);
        }
    }

    /** A front door at {@code front} for the sink and the echo, both running at 127.0.0.1. */
    private static FrontDoor door(Inet4Address front, ServerSocket sink, ServerSocket echo,
                                  FrontSettings.Routing routing) {
        Inet4Address local = (Inet4Address) InetAddress.getLoopbackAddress();
        FakeBackends backends = new FakeBackends();
        backends.put(new Target(1, "sink", front, List.of(sink.getLocalPort()), Target.Readiness.UP, local,
                "running"));
        backends.put(new Target(2, "echo", front, List.of(echo.getLocalPort()), Target.Readiness.UP, local,
                "running"));
        FrontSettings settings = new FrontSettings(true, 256, Duration.ofSeconds(30), client -> false, Set.of(),
                Duration.ZERO, Duration.ofHours(1), routing);
        FrontDoor door = FrontDoor.start(settings, backends, new SimpleMeterRegistry(), InstantSource.system());
        door.sync();
        return door;
    }

    /** MiB/s of one connection sending {@code mib} MiB until the sink has read the last byte. */
    private static double throughput(InetSocketAddress to, long mib) throws IOException {
        byte[] chunk = new byte[256 * 1024];
        long total = mib << 20;
        try (Socket s = new Socket()) {
            s.connect(to);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            new java.io.DataOutputStream(out).writeLong(total);
            for (long sent = 0; sent < total; sent += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, total - sent));
            }
            in.readByte();
            return mib / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Round-trip times in nanoseconds, sorted. */
    private static long[] latencies(InetSocketAddress to, int trips) throws IOException {
        long[] rtt = new long[trips];
        byte[] message = new byte[MESSAGE];
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(to);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < trips; i++) {
                long start = System.nanoTime();
                out.write(message);
                in.readNBytes(message, 0, MESSAGE);
                rtt[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(rtt);
        return rtt;
    }

    private static void sink(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        long total = in.readLong();
        byte[] buffer = new byte[256 * 1024];
        long read = 0;
        while (read < total) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            read += n;
        }
        s.getOutputStream().write(1);
    }

    private static void echo(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buffer = new byte[MESSAGE];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
        }
    }

    private interface Peer {
        void serve(Socket s) throws IOException;
    }

    private static ServerSocket server(Peer peer) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (s) {
                            peer.serve(s);
                        } catch (IOException e) {
                            // the run ended
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
