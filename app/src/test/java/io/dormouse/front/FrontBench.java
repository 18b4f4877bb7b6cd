package io.dormouse.front;

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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Throughput and added latency through the front door against a direct connection on loopback.
 * The peers are plain blocking sockets on platform threads, the same for both paths: a sink that
 * reads a stream and acknowledges its last byte, and an echo for ping-pong round trips.
 * Prints a Markdown table. Arguments: {@code [MiB per throughput run] [round trips per latency run]}.
 */
public final class FrontBench {

    /** Back-to-back pairs of runs (direct, then through the front door): a pair shares the machine's state. */
    private static final int RUNS = 9;
    private static final int MESSAGE = 64;

    private FrontBench() {
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 2048;
        int trips = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        Inet4Address local = (Inet4Address) InetAddress.getLoopbackAddress();
        Inet4Address front = (Inet4Address) InetAddress.ofLiteral("127.9.250.1");
        try (ServerSocket sink = server(FrontBench::sink); ServerSocket echo = server(FrontBench::echo)) {
            FakeBackends backends = new FakeBackends();
            backends.put(new Target(1, "sink", front, List.of(sink.getLocalPort()), Target.Readiness.UP, local,
                    "running"));
            backends.put(new Target(2, "echo", front, List.of(echo.getLocalPort()), Target.Readiness.UP, local,
                    "running"));
            FrontSettings settings = new FrontSettings(true, 256, Duration.ofSeconds(30), client -> false, Set.of(),
                    Duration.ZERO, Duration.ofHours(1));
            try (FrontDoor door = FrontDoor.start(settings, backends, new SimpleMeterRegistry(),
                    InstantSource.system())) {
                InetSocketAddress directSink = new InetSocketAddress(local, sink.getLocalPort());
                InetSocketAddress frontSink = new InetSocketAddress(front, sink.getLocalPort());
                InetSocketAddress directEcho = new InetSocketAddress(local, echo.getLocalPort());
                InetSocketAddress frontEcho = new InetSocketAddress(front, echo.getLocalPort());
                // warm-up: JIT both paths before measuring
                throughput(directSink, 256);
                throughput(frontSink, 256);
                latencies(directEcho, 5000);
                latencies(frontEcho, 5000);

                double[] direct = new double[RUNS];
                double[] through = new double[RUNS];
                for (int i = 0; i < RUNS; i++) {
                    direct[i] = throughput(directSink, mib);
                    through[i] = throughput(frontSink, mib);
                }
                long[] directRtt = latencies(directEcho, trips);
                long[] frontRtt = latencies(frontEcho, trips);
                double d = median(direct);
                double f = median(through);
                double[] ratios = new double[RUNS];
                for (int i = 0; i < RUNS; i++) {
                    ratios[i] = 100 * through[i] / direct[i];
                }
                double ratio = median(ratios);
                Arrays.sort(ratios);
                System.out.println("| path | throughput, median of " + RUNS
                        + " (MiB/s) | round trip p50 (µs) | p99 (µs) |");
                System.out.println("|---|---:|---:|---:|");
                System.out.println(row("direct to 127.0.0.1", d, directRtt));
                System.out.println(row("through the front door", f, frontRtt));
                System.out.println();
                System.out.printf(Locale.ROOT, "Front door throughput: %.0f%% of direct (median of the %d back-to-back"
                        + " pairs; %.0f to %.0f%%). Added round-trip latency at p50: %.1f µs, at p99: %.1f µs.%n",
                        ratio, RUNS, ratios[0], ratios[RUNS - 1],
                        (percentile(frontRtt, 50) - percentile(directRtt, 50)) / 1000.0,
                        (percentile(frontRtt, 99) - percentile(directRtt, 99)) / 1000.0);
                System.out.printf(Locale.ROOT, "Each throughput run sends %d MiB in 256 KiB writes on one connection;"
                        + " each latency run is %d round trips of %d bytes on one connection.%n", mib, trips, MESSAGE);
            }
        }
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

    private static String row(String path, double mibPerSecond, long[] rtt) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.1f |", path, mibPerSecond,
                percentile(rtt, 50) / 1000.0, percentile(rtt, 99) / 1000.0);
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
