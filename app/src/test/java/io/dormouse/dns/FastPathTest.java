package io.dormouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The hot path answers exactly what the full path answers, and leaves everything else to it. */
class FastPathTest {

    private final FakeFleet fleet = new FakeFleet().running("web", "10.0.0.5").running("vm-42", "10.1.2.3")
            .hibernated("db", "127.0.1.9");
    private final Fixture f = new Fixture(Fixture.defaults(), fleet);

    private int fast(Message query, byte[] out) {
        byte[] in = query.toWire();
        return f.handler.answerNow(in, in.length, out, Fixture.address("192.0.2.1"), Query.Transport.UDP);
    }

    @Test
    void answersRunningVmsByteForByteLikeTheFullPath() {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(7);
        String[] names = {"web", "WEB", "Vm-42", "vm-42"};
        for (int i = 0; i < 2000; i++) {
            String name = names[random.nextInt(names.length)] + (random.nextBoolean() ? ".dormouse.test." : ".DorMouse.Test.");
            Message q = ResponderTest.query(name, Type.A);
            q.getHeader().setID(random.nextInt(65536));
            if (random.nextBoolean()) {
                q.getHeader().unsetFlag(Flags.RD);
            }
            if (random.nextBoolean()) {
                q.addRecord(new OPTRecord(512 + random.nextInt(4000), 0, 0), Section.ADDITIONAL);
            }
            byte[] out = new byte[1024];
            int n = fast(q, out);
            assertThat(n).as("hot path for %s", name).isPositive();
            PacketHandler.Outcome full = f.handler.handle(q.toWire(), Fixture.address("192.0.2.1"), 1, Query.Transport.UDP);
            assertThat(Arrays.copyOf(out, n)).as("same answer for %s", q).isEqualTo(((PacketHandler.Outcome.Send) full).packet());
        }
    }

    @Test
    void leavesEverythingElseToTheFullPath() {
        byte[] out = new byte[1024];
        assertThat(fast(ResponderTest.query("web.dormouse.test.", Type.AAAA), out)).isEqualTo(-1);
        assertThat(fast(ResponderTest.query("nobody.dormouse.test.", Type.A), out)).isEqualTo(-1);
        assertThat(fast(ResponderTest.query("db.dormouse.test.", Type.A), out)).as("hibernated").isEqualTo(-1);
        assertThat(fast(ResponderTest.query("ns1.dormouse.test.", Type.A), out)).isEqualTo(-1);
        assertThat(fast(ResponderTest.query("x.web.dormouse.test.", Type.A), out)).isEqualTo(-1);
        assertThat(fast(ResponderTest.query("web.example.com.", Type.A), out)).isEqualTo(-1);
        assertThat(fast(ResponderTest.query("we\\.b.dormouse.test.", Type.A), out)).isEqualTo(-1);
        assertThat(fast(ResponderTest.withEdns(ResponderTest.query("web.dormouse.test.", Type.A), 1), out)).isEqualTo(-1);
        assertThat(fast(ResponderTest.withEdns(ResponderTest.query("web.dormouse.test.", Type.A), 0,
                new CookieOption(new byte[8])), out)).as("options").isEqualTo(-1);
        Message notify = ResponderTest.query("web.dormouse.test.", Type.A);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertThat(fast(notify, out)).isEqualTo(-1);
        Message chaos = Message.newQuery(Record.newRecord(Name.fromConstantString("web.dormouse.test."), Type.A, DClass.CH));
        assertThat(fast(chaos, out)).isEqualTo(-1);
        Message two = ResponderTest.query("web.dormouse.test.", Type.A);
        two.addRecord(Record.newRecord(Name.fromConstantString("web.dormouse.test."), Type.A, DClass.IN), Section.QUESTION);
        assertThat(fast(two, out)).isEqualTo(-1);
    }

    @Test
    void eachQueryForAVmIsReportedOnceWhicheverPathAnswersIt() {
        byte[] out = new byte[1024];
        assertThat(fast(ResponderTest.query("web.dormouse.test.", Type.A), out)).isPositive();
        assertThat(fleet.queriesFor("web")).isEqualTo(1);

        for (Message q : new Message[] {ResponderTest.query("db.dormouse.test.", Type.A),
                ResponderTest.query("web.dormouse.test.", Type.AAAA)}) {
            byte[] in = q.toWire();
            if (f.handler.answerNow(in, in.length, out, Fixture.address("192.0.2.1"), Query.Transport.UDP) < 0) {
                f.handler.handle(in, Fixture.address("192.0.2.1"), 1, Query.Transport.UDP);
            }
        }
        assertThat(fleet.queriesFor("db")).as("a hibernated VM, answered by the full path").isEqualTo(1);
        assertThat(fleet.queriesFor("web")).isEqualTo(2);

        f.handler.handle(ResponderTest.query("_vmstate.web.dormouse.test.", Type.TXT).toWire(),
                Fixture.address("127.0.0.1"), 1, Query.Transport.UDP);
        f.handler.handle(ResponderTest.query("nobody.dormouse.test.", Type.A).toWire(),
                Fixture.address("192.0.2.1"), 1, Query.Transport.UDP);
        assertThat(fleet.queriesFor("web")).as("_vmstate reads are not demand").isEqualTo(2);
        assertThat(fleet.queriesFor("nobody")).isZero();
    }

    @Test
    void hotPathHonoursResponseRateLimits() {
        Fixture g = new Fixture(Fixture.defaults().withResponseRate(new DnsSettings.Rate(1, 1), 2), fleet);
        byte[] in = ResponderTest.query("web.dormouse.test.", Type.A).toWire();
        byte[] out = new byte[1024];
        int[] lengths = new int[3];
        for (int i = 0; i < 3; i++) {
            lengths[i] = g.handler.answerNow(in, in.length, out, Fixture.address("192.0.2.1"), Query.Transport.UDP);
        }
        assertThat(lengths[0]).isEqualTo(in.length + 16);
        assertThat(lengths[1]).as("dropped").isZero();
        assertThat(lengths[2]).as("slipped: header and question").isEqualTo(in.length);
        assertThat(out[2] & 0x02).as("TC").isNotZero();
    }
}
