package io.dormouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.ExternalProgram;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Under a UDP flood the server keeps answering legitimate queries: flooding threads send junk and real
 * queries from 127.0.0.1 and 127.0.0.4 as fast as they can while dnsperf (Debian package dnsperf), from
 * 127.0.0.2 at a steady rate, asks for running VMs and counts what is answered within 1 s.
 */
class DnsFloodIT {

    private static final List<String> FLOOD_SOURCES = List.of("127.0.0.1", "127.0.0.4");
    private static final int SECONDS = 6;
    private static final int LEGIT_QPS = 1000;
    private static final int VMS = 100;
    private static final Pattern SENT = Pattern.compile("Queries sent:\\s+(\\d+)");
    private static final Pattern COMPLETED = Pattern.compile("Queries completed:\\s+(\\d+)");
    private static final Pattern NOERROR = Pattern.compile("NOERROR (\\d+)");

    @TempDir
    Path work;

    @Test
    void legitimateQueriesAreAnsweredWithinOneSecondDuringAFlood() throws Exception {
        FakeFleet fleet = new FakeFleet().hibernated("sleepy", "127.0.1.9");
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < VMS; i++) {
            fleet.running("vm-" + i, DnsBenchServer.address(i));
            queries.add("vm-" + i + ".dormouse.test A");
        }
        Path queryFile = Files.write(work.resolve("queries"), queries);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DnsSettings settings = DnsSettings.defaults("dormouse.test.", new InetSocketAddress("127.0.0.1", 0));
        try (DnsServer server = DnsServer.start(settings, fleet, fleet, registry)) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", server.port());
            warmUp(target);
            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong flooded = new AtomicLong();
            List<Thread> flooders = new ArrayList<>();
            for (int i = 0; i < FLOOD_SOURCES.size(); i++) {
                long seed = i;
                String source = FLOOD_SOURCES.get(i);
                flooders.add(Thread.ofPlatform().name("flood-" + i)
                        .start(() -> flood(source, target, seed, flooding, flooded)));
            }
            long start = System.nanoTime();
            String report;
            try {
                Thread.sleep(300); // the flood is under way before the first legitimate query
                report = dnsperf(server.port(), queryFile);
            } finally {
                flooding.set(false);
                for (Thread t : flooders) {
                    t.join();
                }
            }
            double floodRate = flooded.get() / ((System.nanoTime() - start) / 1e9);
            double boxes = registry.get("dormouse.dns.penalty.boxes").gauge().value();
            long sent = number(SENT, report);
            long completed = number(COMPLETED, report);
            double limited = registry.get("dormouse.dns.rate.limited").tag("kind", "source").counter().count();
            String summary = String.format("flood %.0f queries/s from %d sources, %.0f refused by the source limit,"
                            + " %.0f senders boxed; legitimate: %d sent, %d answered within 1 s (%.1f %%)",
                    floodRate, FLOOD_SOURCES.size(), limited, boxes, sent, completed, 100.0 * completed / sent);
            System.out.println(summary);
            assertThat(sent).as("dnsperf sent its queries\n%s", report).isGreaterThan(LEGIT_QPS * (SECONDS - 1L));
            assertThat(flooded.get()).as("the flood outnumbered the legitimate queries 20 to 1: %s", summary)
                    .isGreaterThan(20 * sent);
            assertThat(limited).as("the flooding sources were held back: %s", summary).isPositive();
            assertThat(boxes).as("each flooding sender was boxed: %s", summary).isEqualTo(FLOOD_SOURCES.size());
            assertThat(number(NOERROR, report)).as("every answer was the VM's address\n%s", report).isEqualTo(completed);
            assertThat(completed).as("at least 95 %% answered within 1 s: %s\n%s", summary, report)
                    .isGreaterThanOrEqualTo((long) Math.ceil(0.95 * sent));
        }
    }

    /** dnsperf from 127.0.0.2 at a steady rate; a query not answered within 1 s counts as lost. */
    private String dnsperf(int port, Path queryFile) throws IOException, InterruptedException {
        Path program = new ExternalProgram("dnsperf", "dnsperf").require();
        Path output = work.resolve("dnsperf.out"); // a file, not a pipe: each lost query is a line of output
        Process p = new ProcessBuilder(program.toString(), "-s", "127.0.0.1", "-p", Integer.toString(port),
                "-a", "127.0.0.2", "-d", queryFile.toString(), "-c", "8", "-q", "2000",
                "-Q", Integer.toString(LEGIT_QPS), "-l", Integer.toString(SECONDS), "-t", "1")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!p.waitFor(SECONDS + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dnsperf did not finish in " + (SECONDS + 30) + " s");
        }
        String report = Files.readString(output);
        int statistics = report.indexOf("Statistics:");
        return statistics < 0 ? report : report.substring(statistics);
    }

    private static long number(Pattern pattern, String report) {
        Matcher m = pattern.matcher(report);
        assertThat(m.find()).as("%s in dnsperf's report:\n%s", pattern, report).isTrue();
        return Long.parseLong(m.group(1));
    }

    /**
     * The same kinds of queries at a pace within the source limit, from 127.0.0.3, for a second: the flood
     * then meets a server that has been answering, not one whose code is still being compiled.
     */
    private static void warmUp(InetSocketAddress target) throws IOException, InterruptedException {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(-1);
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.bind(new InetSocketAddress("127.0.0.3", 0));
            channel.connect(target);
            for (int i = 0; i < 3000; i++) {
                channel.write(ByteBuffer.wrap(junk(random, i)));
                if (i % 3 == 0) {
                    Thread.sleep(1);
                }
            }
        }
    }

    /** Sends a seeded mix of junk and real queries from one socket (one source port) as fast as it can. */
    private static void flood(String source, InetSocketAddress target, long seed, AtomicBoolean flooding,
                              AtomicLong flooded) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        List<ByteBuffer> packets = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            packets.add(ByteBuffer.wrap(junk(random, i)));
        }
        long n = 0;
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.bind(new InetSocketAddress(source, 0));
            channel.connect(target);
            ByteBuffer[] ring = packets.toArray(ByteBuffer[]::new);
            while (flooding.get()) {
                for (int i = 0; i < 64; i++) {
                    ByteBuffer p = ring[(int) (n++ & 255)];
                    channel.write(p.rewind());
                }
            }
        } catch (IOException e) {
            // ICMP unreachable after the server closed, or the like: the flood is over
        } finally {
            flooded.addAndGet(n);
        }
    }

    /** Unknown names, other types, the sleeping VM, names outside the zone, running VMs and garbage. */
    private static byte[] junk(RandomGenerator random, int i) {
        return switch (i % 6) {
            case 0 -> ResponderTest.query("nobody-" + random.nextInt(1_000_000) + ".dormouse.test.", Type.A).toWire();
            case 1 -> ResponderTest.query("vm-" + random.nextInt(VMS) + ".dormouse.test.", Type.AAAA).toWire();
            case 2 -> ResponderTest.query("sleepy.dormouse.test.", Type.A).toWire();
            case 3 -> ResponderTest.query("www" + random.nextInt(1000) + ".example.com.", Type.A).toWire();
            case 4 -> ResponderTest.query("vm-" + random.nextInt(VMS) + ".dormouse.test.", Type.A).toWire();
            default -> {
                byte[] garbage = new byte[12 + random.nextInt(60)];
                random.nextBytes(garbage);
                garbage[2] &= 0x7F; // not a response, so it is parsed rather than dropped on sight
                yield garbage;
            }
        };
    }
}
