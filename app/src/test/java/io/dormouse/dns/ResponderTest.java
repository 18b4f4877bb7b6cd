package io.dormouse.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.UNKRecord;

class ResponderTest {

    private static final String LOCAL = "127.0.0.1";
    private static final String REMOTE = "198.51.100.7";
    private static final TsigKey KEY = new TsigKey("ops-key", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==");

    private final FakeFleet fleet = new FakeFleet()
            .running("web", "10.0.0.5")
            .hibernated("db", "127.0.1.9")
            .failed("broken", "disk image missing");

    private Fixture fixture(DnsSettings settings) {
        return new Fixture(settings, fleet);
    }

    private final Fixture f = fixture(Fixture.defaults());

    static Message query(String name, int type) {
        return Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN));
    }

    static Message withEdns(Message m, int version, EDNSOption... options) {
        m.addRecord(new OPTRecord(1232, 0, version, 0, options), Section.ADDITIONAL);
        return m;
    }

    /** The response as a client would parse it off the wire. */
    static Message now(Reply reply) {
        assertThat(reply).isInstanceOf(Reply.Now.class);
        return wire(((Reply.Now) reply).response());
    }

    static Message held(Reply reply) {
        assertThat(reply).isInstanceOf(Reply.Held.class);
        return wire(((Reply.Held) reply).response().orTimeout(5, TimeUnit.SECONDS).join());
    }

    static Message wire(Message m) {
        return wire(m.toWire());
    }

    static Message wire(byte[] packet) {
        try {
            return new Message(packet);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ARecord onlyA(Message r) {
        List<Record> answer = r.getSection(Section.ANSWER);
        assertThat(answer).hasSize(1);
        return (ARecord) answer.getFirst();
    }

    private static void assertNegative(Message r, int rcode) {
        assertThat(r.getRcode()).isEqualTo(rcode);
        assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        List<Record> authority = r.getSection(Section.AUTHORITY);
        assertThat(authority).hasSize(1);
        SOARecord soa = (SOARecord) authority.getFirst();
        assertThat(soa.getName()).isEqualTo(Name.fromConstantString("dormouse.test."));
        assertThat(soa.getTTL()).isEqualTo(10);
        assertThat(soa.getMinimum()).isEqualTo(10);
    }

    @Test
    void runningVmGetsItsAddressAuthoritativelyWithShortTtl() {
        Message r = now(f.ask(query("web.dormouse.test.", Type.A), REMOTE));
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(r.getHeader().getFlag(Flags.RA)).isFalse();
        assertThat(r.getHeader().getFlag(Flags.RD)).isTrue();
        ARecord a = onlyA(r);
        assertThat(a.getAddress().getHostAddress()).isEqualTo("10.0.0.5");
        assertThat(a.getTTL()).isEqualTo(5);
        assertThat(r.getOPT()).as("no EDNS in, no EDNS out").isNull();
        assertThat(fleet.wakeCalls("web")).isZero();
    }

    @Test
    void recursionDesiredIsCopiedNotSet() {
        Message q = query("web.dormouse.test.", Type.A);
        q.getHeader().unsetFlag(Flags.RD);
        assertThat(now(f.ask(q, REMOTE)).getHeader().getFlag(Flags.RD)).isFalse();
    }

    @Test
    void answerKeepsTheCaseOfTheQuestion() {
        Message r = now(f.ask(query("WeB.DorMouse.TEST.", Type.A), REMOTE));
        assertThat(onlyA(r).getName().toString()).isEqualTo("WeB.DorMouse.TEST.");
    }

    @Test
    void apexHasSoaAndNsAndTheNameServerHasAnAddress() {
        Message soa = now(f.ask(query("dormouse.test.", Type.SOA), REMOTE));
        SOARecord s = (SOARecord) soa.getSection(Section.ANSWER).getFirst();
        assertThat(s.getHost()).isEqualTo(Name.fromConstantString("ns1.dormouse.test."));
        assertThat(s.getAdmin()).isEqualTo(Name.fromConstantString("hostmaster.dormouse.test."));
        assertThat(s.getSerial()).isEqualTo(Fixture.START_SECONDS);

        Message ns = now(f.ask(query("dormouse.test.", Type.NS), REMOTE));
        assertThat(((NSRecord) ns.getSection(Section.ANSWER).getFirst()).getTarget())
                .isEqualTo(Name.fromConstantString("ns1.dormouse.test."));
        assertThat(ns.getSection(Section.ADDITIONAL)).extracting(Record::getType).contains(Type.A);

        ARecord glue = onlyA(now(f.ask(query("ns1.dormouse.test.", Type.A), REMOTE)));
        assertThat(glue.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void unknownNameIsNxdomainWithSoa() {
        assertNegative(now(f.ask(query("nobody.dormouse.test.", Type.A), REMOTE)), Rcode.NXDOMAIN);
        assertNegative(now(f.ask(query("deep.web.dormouse.test.", Type.A), REMOTE)), Rcode.NXDOMAIN);
        assertNegative(now(f.ask(query("_vmstate.nobody.dormouse.test.", Type.TXT), LOCAL)), Rcode.NXDOMAIN);
    }

    @Test
    void existingNameWithOtherTypeIsNodataWithSoa() {
        assertNegative(now(f.ask(query("web.dormouse.test.", 666), REMOTE)), Rcode.NOERROR);
        assertNegative(now(f.ask(query("web.dormouse.test.", Type.AAAA), REMOTE)), Rcode.NOERROR);
        assertNegative(now(f.ask(query("dormouse.test.", Type.MX), REMOTE)), Rcode.NOERROR);
        assertNegative(now(f.ask(query("db.dormouse.test.", Type.AAAA), REMOTE)), Rcode.NOERROR);
        assertThat(fleet.wakeCalls("db")).as("only address queries wake").isZero();
    }

    @Test
    void namesOutsideTheZoneAreRefusedWithoutAuthority() {
        Message r = now(f.ask(query("example.com.", Type.A), REMOTE));
        assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(r.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(now(f.ask(query("xdormouse.test.", Type.A), REMOTE)).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void otherOpcodesAreNotImplemented() {
        Message q = query("web.dormouse.test.", Type.SOA);
        q.getHeader().setOpcode(Opcode.NOTIFY);
        Message r = now(f.ask(q, REMOTE));
        assertThat(r.getRcode()).isEqualTo(Rcode.NOTIMP);
        assertThat(r.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
    }

    @Test
    void ednsVersionAboveZeroIsBadvers() {
        Message r = now(f.ask(withEdns(query("web.dormouse.test.", Type.A), 1), REMOTE));
        assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(r.getOPT().getVersion()).isZero();
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void unknownEdnsOptionIsIgnoredAndPayloadAdvertised() {
        Message r = now(f.ask(withEdns(query("web.dormouse.test.", Type.A), 0,
                new GenericEDNSOption(65001, new byte[] {(byte) 0xab, (byte) 0xcd})), REMOTE));
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(onlyA(r).getAddress().getHostAddress()).isEqualTo("10.0.0.5");
        assertThat(r.getOPT().getPayloadSize()).isEqualTo(1232);
        assertThat(r.getOPT().getOptions()).isEmpty();
    }

    @Test
    void unknownEdnsFlagsAreIgnoredAndNotEchoed() {
        Message q = query("web.dormouse.test.", Type.A);
        q.addRecord(new OPTRecord(4096, 0, 0, 0x8000 | 0x0001), Section.ADDITIONAL);
        Message r = now(f.ask(q, REMOTE));
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(onlyA(r).getAddress().getHostAddress()).isEqualTo("10.0.0.5");
        assertThat(r.getOPT().getFlags()).as("no DNSSEC here: DO is not echoed").isZero();
    }

    @Test
    void aMalformedCookieIsFormerr() {
        byte[] packet = withEdns(query("web.dormouse.test.", Type.A), 0,
                new GenericEDNSOption(EDNSOption.Code.COOKIE, new byte[] {1, 2, 3})).toWire();
        PacketHandler.Outcome o = f.handler.handle(packet, Fixture.address(REMOTE), 1, Query.Transport.UDP);
        assertThat(wire(((PacketHandler.Outcome.Send) o).packet()).getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void clientCookieIsEchoedWithAServerCookie() {
        byte[] client = {1, 2, 3, 4, 5, 6, 7, 8};
        Message r = now(f.ask(withEdns(query("web.dormouse.test.", Type.A), 0, new CookieOption(client)), REMOTE));
        CookieOption cookie = (CookieOption) r.getOPT().getOptions(EDNSOption.Code.COOKIE).getFirst();
        assertThat(cookie.getClientCookie()).isEqualTo(client);
        assertThat(cookie.getServerCookie()).get().satisfies(s -> {
            assertThat(s).hasSize(16);
            assertThat(s[0]).as("RFC 9018 version").isEqualTo((byte) 1);
        });
        Message again = now(f.ask(withEdns(query("web.dormouse.test.", Type.A), 0, new CookieOption(client)), REMOTE));
        assertThat(((CookieOption) again.getOPT().getOptions(EDNSOption.Code.COOKIE).getFirst()).getServerCookie().get())
                .as("same client, cookie and second: same server cookie").isEqualTo(cookie.getServerCookie().get());
    }

    @Test
    void cookieOnlyQueryWithoutQuestionGetsNoerrorAndOtherwiseFormerr() {
        Message cookieOnly = new Message(99);
        withEdns(cookieOnly, 0, new CookieOption(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}));
        assertThat(now(f.ask(cookieOnly, REMOTE)).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(now(f.ask(new Message(100), REMOTE)).getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void vmstateIsServedToTheAclInBothForms() {
        Message r = now(f.ask(query("_vmstate.web.dormouse.test.", Type.ANY), LOCAL));
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        List<Record> answer = r.getSection(Section.ANSWER);
        assertThat(answer).extracting(Record::getType).containsExactlyInAnyOrder(65280, Type.TXT);
        List<String> expected = List.of("version=7", "location=file:///var/lib/dormouse/packs",
                "hibernated-at=2026-11-22T06:00:00Z", "wake-estimate-ms=850", "cpus=2", "memory-mib=2048",
                "net-mbps=100", "priority=5");
        TXTRecord txt = (TXTRecord) answer.stream().filter(x -> x.getType() == Type.TXT).findFirst().orElseThrow();
        assertThat(txt.getStrings()).isEqualTo(expected);
        UNKRecord generic = (UNKRecord) answer.stream().filter(x -> x.getType() == 65280).findFirst().orElseThrow();
        assertThat(generic.getData()).isEqualTo(Zone.characterStrings(expected));
        assertThat(generic.rdataToString()).startsWith("\\# ");
    }

    @Test
    void vmstateTypeIsConfigurable() {
        Fixture g = fixture(Fixture.defaults().withVmstate(65400, List.of(Cidr.parse("10.1.0.0/16")), List.of()));
        assertThat(now(g.ask(query("_vmstate.web.dormouse.test.", 65400), "10.1.2.3")).getSection(Section.ANSWER))
                .extracting(Record::getType).containsExactly(65400);
        assertThat(now(g.ask(query("_vmstate.web.dormouse.test.", 65400), LOCAL)).getRcode())
                .isEqualTo(Rcode.REFUSED);
    }

    @Test
    void vmstateIsRefusedOutsideTheAclWithoutAKey() {
        Message r = now(f.ask(query("_vmstate.web.dormouse.test.", 65280), REMOTE));
        assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void vmstateIsServedWithAValidTsigKeyAndTheAnswerIsSigned() throws IOException {
        Fixture g = fixture(Fixture.defaults().withVmstate(65280, List.of(), List.of(KEY)));
        Message q = query("_vmstate.web.dormouse.test.", Type.TXT);
        TSIG client = KEY.tsig();
        q.setTSIG(client);
        byte[] queryWire = q.toWire(65535);
        Message signedQuery = new Message(queryWire);
        Message r = ((Reply.Now) g.askWire(queryWire, REMOTE, 5353)).response();
        byte[] responseWire = r.toWire(65535);
        Message parsed = new Message(responseWire);
        assertThat(parsed.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(parsed.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.TXT);
        assertThat(client.verify(parsed, responseWire, signedQuery.getTSIG())).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void aWrongTsigKeyIsNotAuth() {
        Fixture g = fixture(Fixture.defaults().withVmstate(65280, List.of(), List.of(KEY)));
        Message q = query("_vmstate.web.dormouse.test.", Type.TXT);
        q.setTSIG(new TsigKey("ops-key", "d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmch").tsig());
        assertThat(now(g.ask(q, REMOTE)).getRcode()).isEqualTo(Rcode.NOTAUTH);
        Message unknown = query("_vmstate.web.dormouse.test.", Type.TXT);
        unknown.setTSIG(new TsigKey("who", "d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmch").tsig());
        assertThat(now(g.ask(unknown, REMOTE)).getRcode()).isEqualTo(Rcode.NOTAUTH);
    }

    @Test
    void hibernatedVmReadyWithinTheHoldGetsItsNewAddress() {
        Reply reply = f.ask(query("db.dormouse.test.", Type.A), REMOTE);
        assertThat(reply).isInstanceOf(Reply.Held.class);
        assertThat(((Reply.Held) reply).response()).isNotDone();
        fleet.finish("db", "10.0.0.9");
        ARecord a = onlyA(held(reply));
        assertThat(a.getAddress().getHostAddress()).isEqualTo("10.0.0.9");
        assertThat(a.getTTL()).isEqualTo(5);
        assertThat(fleet.wakeCalls("db")).isEqualTo(1);
        assertThat(f.registry.get("dormouse.dns.wakes").counter().count()).isEqualTo(1);
        assertThat(f.registry.get("dormouse.dns.hold").timer().count()).isEqualTo(1);
    }

    @Test
    void hibernatedVmNotReadyInTimeGetsTheFrontAddressWithAShortTtl() {
        Fixture g = fixture(Fixture.defaults().withHold(Duration.ofMillis(100), DnsSettings.NotReady.FRONT_ADDRESS));
        long start = System.nanoTime();
        Message r = held(g.ask(query("db.dormouse.test.", Type.A), REMOTE));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(90), Duration.ofSeconds(3));
        ARecord a = onlyA(r);
        assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.1.9");
        assertThat(a.getTTL()).isEqualTo(1);
        assertThat(g.registry.get("dormouse.dns.front.answers").counter().count()).isEqualTo(1);
    }

    @Test
    void notReadyModeAnswersServfailWithExtendedErrorFourteen() {
        Fixture g = fixture(Fixture.defaults().withHold(Duration.ofMillis(50), DnsSettings.NotReady.SERVFAIL));
        Message r = held(g.ask(withEdns(query("db.dormouse.test.", Type.A), 0), REMOTE));
        assertThat(r.getRcode()).isEqualTo(Rcode.SERVFAIL);
        ExtendedErrorCodeOption ede = (ExtendedErrorCodeOption) r.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).getFirst();
        assertThat(ede.getErrorCode()).isEqualTo(14);
    }

    @Test
    void failedRestoreIsServfailWithAReasonNeverNxdomain() {
        Reply reply = f.ask(withEdns(query("db.dormouse.test.", Type.A), 0), REMOTE);
        fleet.fail("db", "no host has 2 GiB free");
        Message r = held(reply);
        assertThat(r.getRcode()).isEqualTo(Rcode.SERVFAIL);
        ExtendedErrorCodeOption ede = (ExtendedErrorCodeOption) r.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).getFirst();
        assertThat(ede.getText()).contains("no host has 2 GiB free");

        Message broken = now(f.ask(withEdns(query("broken.dormouse.test.", Type.A), 0), REMOTE));
        assertThat(broken.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(((ExtendedErrorCodeOption) broken.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)
                .getFirst()).getText()).isEqualTo("disk image missing");
    }

    @Test
    void aWakerThatThrowsIsServfailToo() {
        Waker throwing = name -> {
            throw new IllegalStateException("queue full");
        };
        DnsSettings s = Fixture.defaults();
        Responder responder = new Responder(s, new Zone(s, 1), fleet,
                new Holds(s, throwing, new DnsMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), 65280),
                        Instant::now), new Cookies(Fixture.COOKIE_SECRET, Instant::now));
        Message q = query("db.dormouse.test.", Type.A);
        byte[] wire = q.toWire();
        Reply reply = responder.respond(new Query(q, wire, Fixture.address(REMOTE), 1, Query.Transport.UDP));
        assertThat(held(reply).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void retransmitsJoinTheSameWait() {
        Message q = query("db.dormouse.test.", Type.A);
        Reply first = f.ask(q, REMOTE, 40000);
        Reply retransmit = f.ask(q, REMOTE, 40000);
        Reply third = f.ask(q, REMOTE, 40000);
        assertThat(retransmit).isInstanceOf(Reply.Held.class);
        assertThat(((Reply.Held) retransmit).joined()).isTrue();
        assertThat(((Reply.Held) third).response()).isSameAs(((Reply.Held) first).response());
        assertThat(fleet.wakeCalls("db")).isEqualTo(1);
        assertThat(f.registry.get("dormouse.dns.wakes").counter().count()).isEqualTo(1);

        Reply otherClient = f.ask(q, "198.51.100.8", 40000);
        assertThat(((Reply.Held) otherClient).joined()).isFalse();
        fleet.finish("db", "10.0.0.9");
        assertThat(onlyA(held(first)).getAddress().getHostAddress()).isEqualTo("10.0.0.9");
        assertThat(onlyA(held(otherClient)).getAddress().getHostAddress()).isEqualTo("10.0.0.9");
    }

    @Test
    void clientsOutsideTheWakeAclGetTheFrontAddressWithoutAWake() {
        Fixture g = fixture(Fixture.defaults().withWakePolicy(List.of(Cidr.parse("10.0.0.0/8")),
                new DnsSettings.Rate(2, 10), new DnsSettings.Rate(5, 20)));
        Message r = now(g.ask(query("db.dormouse.test.", Type.A), REMOTE));
        assertThat(onlyA(r).getAddress().getHostAddress()).isEqualTo("127.0.1.9");
        assertThat(onlyA(r).getTTL()).isEqualTo(1);
        assertThat(fleet.wakeCalls("db")).isZero();
        assertThat(g.ask(query("db.dormouse.test.", Type.A), "10.9.9.9")).isInstanceOf(Reply.Held.class);
    }

    @Test
    void wakesAreRateLimitedPerVmAndPerClientNetwork() {
        Fixture g = fixture(Fixture.defaults().withWakePolicy(List.of(Cidr.parse("0.0.0.0/0")),
                new DnsSettings.Rate(1, 2), new DnsSettings.Rate(1, 1)));
        assertThat(g.ask(query("db.dormouse.test.", Type.A), "192.0.2.1")).isInstanceOf(Reply.Held.class);
        Reply sameNetwork = g.ask(query("db.dormouse.test.", Type.A), "192.0.2.2");
        assertThat(onlyA(now(sameNetwork)).getAddress().getHostAddress()).as("client /24 bucket empty").isEqualTo("127.0.1.9");
        assertThat(g.ask(query("db.dormouse.test.", Type.A), "203.0.113.1")).isInstanceOf(Reply.Held.class);
        assertThat(g.ask(query("db.dormouse.test.", Type.A), "198.18.0.1")).as("VM bucket empty").isInstanceOf(Reply.Now.class);
        assertThat(fleet.wakeCalls("db")).isEqualTo(2);
        assertThat(g.registry.get("dormouse.dns.rate.limited").tag("kind", "wake").counter().count()).isEqualTo(2);
        g.millis.addAndGet(1000);
        assertThat(g.ask(query("db.dormouse.test.", Type.A), "198.18.0.1")).as("refilled").isInstanceOf(Reply.Held.class);
    }
}
