package io.dormouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class PacketHandlerTest {

    private static final VmStateRecord BIG = new VmStateRecord(12, "s3://dormouse-snapshots-eu-west-1/fleet/production/"
            + "a".repeat(150), Instant.parse("2026-11-22T06:00:00Z"), Duration.ofMillis(900), 4, 8192, 1000, 1);

    private final FakeFleet fleet = new FakeFleet().running("web", "10.0.0.5").running("big", "10.0.0.6", BIG);
    private final Fixture f = new Fixture(Fixture.defaults(), fleet);

    private static Message send(PacketHandler.Outcome outcome) {
        assertThat(outcome).isInstanceOf(PacketHandler.Outcome.Send.class);
        try {
            return new Message(((PacketHandler.Outcome.Send) outcome).packet());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private PacketHandler.Outcome udp(byte[] packet) {
        return f.handler.handle(packet, Fixture.address("127.0.0.1"), 5353, Query.Transport.UDP);
    }

    @Test
    void unreadableQueryWithAHeaderGetsFormerrWithItsIdAndFlags() {
        byte[] packet = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'e'};
        Message r = send(udp(packet));
        assertThat(r.getHeader().getID()).isEqualTo(0x1234);
        assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(r.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
    }

    @Test
    void packetsWithoutAHeaderAndResponsesAreDropped() {
        assertThat(udp(new byte[] {1, 2, 3, 4, 5})).isInstanceOf(PacketHandler.Outcome.Drop.class);
        byte[] response = ResponderTest.query("web.dormouse.test.", Type.A).toWire();
        response[2] |= (byte) 0x80;
        assertThat(udp(response)).isInstanceOf(PacketHandler.Outcome.Drop.class);
    }

    @Test
    void answerTooBigForTheClientsBufferIsTruncatedOverUdpAndWholeOverTcp() {
        Message q = ResponderTest.query("_vmstate.big.dormouse.test.", Type.ANY);
        q.addRecord(new OPTRecord(512, 0, 0), Section.ADDITIONAL);
        byte[] packet = q.toWire();
        PacketHandler.Outcome udp = udp(packet);
        assertThat(((PacketHandler.Outcome.Send) udp).packet().length).isLessThanOrEqualTo(512);
        Message truncated = send(udp);
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.getOPT()).as("EDNS survives truncation").isNotNull();

        Message whole = send(f.handler.handle(packet, Fixture.address("127.0.0.1"), 5353, Query.Transport.TCP));
        assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(whole.getSection(Section.ANSWER)).hasSize(2);

        Message plain = ResponderTest.query("_vmstate.big.dormouse.test.", Type.ANY);
        assertThat(send(udp(plain.toWire())).getHeader().getFlag(Flags.TC)).as("no EDNS: 512 bytes").isTrue();
        Message large = ResponderTest.query("_vmstate.big.dormouse.test.", Type.ANY);
        large.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        assertThat(send(udp(large.toWire())).getHeader().getFlag(Flags.TC)).isFalse();
    }

    @Test
    void floodsAreRateLimitedWithSlip() {
        Fixture g = new Fixture(Fixture.defaults().withResponseRate(new DnsSettings.Rate(1, 1), 2), fleet);
        byte[] packet = ResponderTest.query("web.dormouse.test.", Type.A).toWire();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PacketHandler.Outcome o = g.handler.handle(packet, Fixture.address("192.0.2.1"), 1000, Query.Transport.UDP);
            seen.add(o instanceof PacketHandler.Outcome.Drop ? "drop"
                    : send(o).getHeader().getFlag(Flags.TC) ? "slip" : "answer");
        }
        assertThat(seen).containsExactly("answer", "drop", "slip", "drop", "slip");
        assertThat(g.registry.get("dormouse.dns.rate.limited").tag("kind", "response").counter().count()).isEqualTo(4);
        PacketHandler.Outcome tcp = g.handler.handle(packet, Fixture.address("192.0.2.1"), 1000, Query.Transport.TCP);
        assertThat(send(tcp).getSection(Section.ANSWER)).as("TCP is not rate limited").hasSize(1);
    }

    @Test
    void queriesAreCountedByTypeAndRcode() {
        udp(ResponderTest.query("web.dormouse.test.", Type.A).toWire());
        udp(ResponderTest.query("nobody.dormouse.test.", Type.A).toWire());
        udp(ResponderTest.query("web.dormouse.test.", 666).toWire());
        assertThat(f.registry.get("dormouse.dns.queries").tag("type", "A").tag("rcode", "NOERROR").counter().count())
                .isEqualTo(1);
        assertThat(f.registry.get("dormouse.dns.queries").tag("type", "A").tag("rcode", "NXDOMAIN").counter().count())
                .isEqualTo(1);
        assertThat(f.registry.get("dormouse.dns.queries").tag("type", "other").tag("rcode", "NOERROR").counter().count())
                .isEqualTo(1);
    }
}
