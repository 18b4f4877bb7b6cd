package io.dormouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Random and mutated packets through the packet handler: nothing escapes, every answer parses and
 * carries the query's ID. Seeded, so a failure replays.
 */
class PacketFuzzTest {

    /** About 8 to 16 s on two shared cores; see docs/dns.md. */
    static final int PACKETS = 1_000_000;
    private static final long SEED = 0x5EED_D0E5L;

    @Test
    void randomAndMutatedPacketsNeverBreakTheHandler() throws Exception {
        FakeFleet fleet = new FakeFleet(Duration.ofMillis(1)).running("web", "10.0.0.5")
                .hibernated("db", "127.0.1.9").wakesAt("db", "10.0.0.9").failed("broken", "gone");
        Fixture f = new Fixture(Fixture.defaults().withVmstate(65280, List.of(Cidr.parse("127.0.0.0/8")),
                List.of(new TsigKey("k", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="))), fleet);
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(SEED);
        List<byte[]> corpus = corpus();
        List<CompletableFuture<byte[]>> later = new ArrayList<>();
        byte[] out = new byte[1024];
        int answered = 0;
        int hot = 0;
        long start = System.nanoTime();
        for (int i = 0; i < PACKETS; i++) {
            byte[] packet = i % 4 == 0 ? randomBytes(random) : mutate(corpus.get(random.nextInt(corpus.size())), random);
            Query.Transport transport = (i & 1) == 0 ? Query.Transport.UDP : Query.Transport.TCP;
            int n = f.handler.answerNow(packet, packet.length, out, Fixture.address("127.0.0.1"), transport);
            if (n > 0) {
                check(packet, Arrays.copyOf(out, n));
                hot++;
                continue;
            }
            PacketHandler.Outcome outcome = f.handler.handle(packet, Fixture.address("127.0.0.1"), 1 + (i & 0x3FFF),
                    transport);
            switch (outcome) {
                case PacketHandler.Outcome.Drop d -> { }
                case PacketHandler.Outcome.Send s -> {
                    check(packet, s.packet());
                    answered++;
                }
                case PacketHandler.Outcome.Later l -> later.add(l.packet().thenApply(p -> {
                    if (p != null) {
                        check(packet, p);
                    }
                    return p;
                }));
            }
        }
        CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("fuzz: %d packets, %d on the hot path, %d answered at once otherwise, %d held, %d ms%n",
                PACKETS, hot, answered, later.size(), millis);
        assertThat(answered).as("most mutated queries still get an answer").isGreaterThan(PACKETS / 4);
        assertThat(hot).as("some take the hot path").isGreaterThan(PACKETS / 1000);
    }

    private static void check(byte[] query, byte[] response) {
        Message parsed;
        try {
            parsed = new Message(response);
        } catch (Exception e) {
            throw new AssertionError("response does not parse: " + e, e);
        }
        assertThat(parsed.getHeader().getID()).isEqualTo(((query[0] & 0xFF) << 8) | (query[1] & 0xFF));
        assertThat(response[2] & 0x80).as("QR").isNotZero();
    }

    private static byte[] randomBytes(RandomGenerator random) {
        byte[] b = new byte[random.nextInt(600)];
        random.nextBytes(b);
        if (b.length > 2) {
            b[2] &= 0x7F; // mostly queries, so more of them get past the first check
        }
        return b;
    }

    private static byte[] mutate(byte[] valid, RandomGenerator random) {
        byte[] b = valid.clone();
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
            case 3 -> {
                b = Arrays.copyOf(b, b.length + 1 + random.nextInt(40));
                for (int i = valid.length; i < b.length; i++) {
                    b[i] = (byte) random.nextInt(256);
                }
            }
            default -> { } // the valid query itself
        }
        if (b.length > 2 && random.nextInt(10) > 0) {
            b[2] &= 0x7F;
        }
        return b;
    }

    private static List<byte[]> corpus() {
        List<byte[]> out = new ArrayList<>();
        String[] names = {"web.dormouse.test.", "db.dormouse.test.", "broken.dormouse.test.", "nobody.dormouse.test.",
                "dormouse.test.", "ns1.dormouse.test.", "_vmstate.web.dormouse.test.", "example.com.", "."};
        int[] types = {Type.A, Type.AAAA, Type.SOA, Type.NS, Type.TXT, Type.ANY, 666, 65280};
        for (String name : names) {
            for (int type : types) {
                Message plain = ResponderTest.query(name, type);
                out.add(plain.toWire());
                Message edns = ResponderTest.withEdns(ResponderTest.query(name, type), type == 666 ? 1 : 0,
                        new CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                        new GenericEDNSOption(65001, new byte[] {(byte) 0xab, (byte) 0xcd}));
                out.add(edns.toWire());
            }
        }
        Message signed = ResponderTest.query("_vmstate.web.dormouse.test.", Type.TXT);
        signed.setTSIG(new TsigKey("k", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==").tsig());
        out.add(signed.toWire(65535));
        Message notify = ResponderTest.query("dormouse.test.", Type.SOA);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        out.add(notify.toWire());
        Message small = ResponderTest.query("_vmstate.web.dormouse.test.", Type.ANY);
        small.addRecord(new OPTRecord(512, 0, 0), Section.ADDITIONAL);
        out.add(small.toWire());
        return out;
    }
}
