package io.dormouse.dns;

import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * The answer logic of the authoritative server: a query in, a response out, no I/O. Answers for
 * hibernated VMs are handed to {@link Holds}, which completes them when the wake ends or the budget runs out.
 */
final class Responder {

    private final DnsSettings settings;
    private final Zone zone;
    private final Names names;
    private final Holds holds;
    private final Cookies cookies;
    private final long answerTtl;

    Responder(DnsSettings settings, Zone zone, Names names, Holds holds, Cookies cookies) {
        this.settings = settings;
        this.zone = zone;
        this.names = names;
        this.holds = holds;
        this.cookies = cookies;
        this.answerTtl = settings.answerTtl().toSeconds();
    }

    Reply respond(Query q) {
        Message query = q.message();
        Header qh = query.getHeader();
        Message r = new Message(qh.getID());
        Header rh = r.getHeader();
        rh.setFlag(Flags.QR);
        rh.setOpcode(qh.getOpcode());
        if (qh.getFlag(Flags.RD)) {
            rh.setFlag(Flags.RD);
        }
        OPTRecord opt = query.getOPT();
        Record question = query.getQuestion();
        boolean oneQuestion = question != null && qh.getCount(Section.QUESTION) == 1;
        if (oneQuestion) {
            r.addRecord(question, Section.QUESTION);
        }
        if (qh.getOpcode() != Opcode.QUERY) {
            return now(finish(r, q, Rcode.NOTIMP));
        }
        if (opt != null && opt.getVersion() > 0) {
            return now(finish(r, q, Rcode.BADVERS));
        }
        if (!oneQuestion) {
            boolean cookieOnly = question == null && clientCookie(opt).isPresent();
            return now(finish(r, q, cookieOnly ? Rcode.NOERROR : Rcode.FORMERR));
        }
        TSIGRecord signature = query.getTSIG();
        boolean signed = false;
        if (signature != null) {
            TSIG key = key(signature.getName());
            if (key == null || key.verify(query, q.wire(), null) != Rcode.NOERROR) {
                return now(finish(r, q, Rcode.NOTAUTH));
            }
            r.setTSIG(key, Rcode.NOERROR, signature);
            signed = true;
        }
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            return now(finish(r, q, Rcode.REFUSED));
        }
        Name qname = question.getName();
        int qtype = question.getType();
        return switch (zone.owner(qname)) {
            case Zone.Owner.Outside o -> now(finish(r, q, Rcode.REFUSED));
            case Zone.Owner.Apex a -> now(apex(r, q, qtype));
            case Zone.Owner.NameServer n -> now(qtype == Type.A || qtype == Type.ANY
                    ? answer(r, q, zone.nsAddress(qname)) : noData(r, q));
            case Zone.Owner.Nothing n -> now(nxDomain(r, q));
            case Zone.Owner.Vm vm -> vm(r, q, vm.name(), qname, qtype);
            case Zone.Owner.VmState vs -> now(vmstate(r, q, vs.name(), qname, qtype, signed));
        };
    }

    private Message apex(Message r, Query q, int qtype) {
        aa(r);
        switch (qtype) {
            case Type.SOA -> r.addRecord(zone.soa(), Section.ANSWER);
            case Type.NS -> {
                r.addRecord(zone.ns(), Section.ANSWER);
                r.addRecord(zone.nsGlue(), Section.ADDITIONAL);
            }
            case Type.ANY -> {
                r.addRecord(zone.soa(), Section.ANSWER);
                r.addRecord(zone.ns(), Section.ANSWER);
            }
            default -> r.addRecord(zone.negativeSoa(), Section.AUTHORITY);
        }
        return finish(r, q, Rcode.NOERROR);
    }

    private Reply vm(Message r, Query q, String vmName, Name qname, int qtype) {
        Optional<VmEntry> found = names.lookup(vmName);
        if (found.isEmpty()) {
            return now(nxDomain(r, q));
        }
        names.queried(vmName, q.client());
        if (qtype != Type.A && qtype != Type.ANY) {
            return now(noData(r, q));
        }
        aa(r);
        return switch (found.get()) {
            case VmEntry.Running run -> now(answer(r, q, new ARecord(qname, DClass.IN, answerTtl, run.address())));
            case VmEntry.Failed failed -> now(servFail(r, q, failed.reason()));
            case VmEntry.Hibernated h -> holds.hold(q, vmName, h.frontAddress(), r, this);
            case VmEntry.Waking w -> holds.hold(q, vmName, w.frontAddress(), r, this);
        };
    }

    private Message vmstate(Message r, Query q, String vmName, Name qname, int qtype, boolean signed) {
        Optional<VmEntry> found = names.lookup(vmName);
        if (found.isEmpty()) {
            return nxDomain(r, q);
        }
        boolean wanted = qtype == settings.vmstateType() || qtype == Type.TXT || qtype == Type.ANY;
        if (!wanted) {
            return noData(r, q);
        }
        if (!signed && !Cidr.anyContains(settings.vmstateAcl(), q.client())) {
            return finish(r, q, Rcode.REFUSED);
        }
        aa(r);
        for (Record rec : zone.vmstate(qname, found.get().state(), answerTtl)) {
            if (qtype == Type.ANY || rec.getType() == qtype) {
                r.addRecord(rec, Section.ANSWER);
            }
        }
        return finish(r, q, Rcode.NOERROR);
    }

    /** The held answer once the wake is over: the VM's new address. */
    Message ready(Message r, Query q, Inet4Address address) {
        Name qname = r.getQuestion().getName();
        return answer(r, q, new ARecord(qname, DClass.IN, answerTtl, address));
    }

    /** The answer when the VM is not up in time, or may not be woken by this client. */
    Message front(Message r, Query q, Inet4Address frontAddress) {
        Name qname = r.getQuestion().getName();
        return answer(r, q, new ARecord(qname, DClass.IN, settings.frontTtl().toSeconds(), frontAddress));
    }

    Message notReady(Message r, Query q) {
        return finish(r, q, Rcode.SERVFAIL,
                new ExtendedErrorCodeOption(ExtendedErrorCodeOption.NOT_READY, "VM is waking"));
    }

    Message servFail(Message r, Query q, String reason) {
        return finish(r, q, Rcode.SERVFAIL, new ExtendedErrorCodeOption(ExtendedErrorCodeOption.OTHER,
                reason.length() > 200 ? reason.substring(0, 200) : reason));
    }

    private Message answer(Message r, Query q, Record rec) {
        aa(r);
        r.addRecord(rec, Section.ANSWER);
        return finish(r, q, Rcode.NOERROR);
    }

    private Message nxDomain(Message r, Query q) {
        aa(r);
        r.addRecord(zone.negativeSoa(), Section.AUTHORITY);
        return finish(r, q, Rcode.NXDOMAIN);
    }

    private Message noData(Message r, Query q) {
        aa(r);
        r.addRecord(zone.negativeSoa(), Section.AUTHORITY);
        return finish(r, q, Rcode.NOERROR);
    }

    private static void aa(Message r) {
        r.getHeader().setFlag(Flags.AA);
    }

    /** Sets the rcode, split between header and OPT for extended codes, and answers EDNS with EDNS (RFC 6891 §7). */
    private Message finish(Message r, Query q, int rcode, EDNSOption... extra) {
        r.getHeader().setRcode(rcode & 0xF);
        OPTRecord opt = q.message().getOPT();
        if (opt == null) {
            return r;
        }
        List<EDNSOption> options = new java.util.ArrayList<>(2);
        clientCookie(opt).ifPresent(c -> options.add(new CookieOption(c, cookies.serverCookie(c, q.client()))));
        options.addAll(List.of(extra));
        r.addRecord(new OPTRecord(settings.maxUdpPayload(), rcode >>> 4, 0, 0, options), Section.ADDITIONAL);
        return r;
    }

    private static Optional<byte[]> clientCookie(OPTRecord opt) {
        if (opt == null) {
            return Optional.empty();
        }
        for (EDNSOption o : opt.getOptions(EDNSOption.Code.COOKIE)) {
            if (o instanceof CookieOption c) {
                return Optional.of(c.getClientCookie());
            }
        }
        return Optional.empty();
    }

    private TSIG key(Name name) {
        for (TsigKey k : settings.tsigKeys()) {
            if (k.dnsName().equals(name)) {
                return k.tsig();
            }
        }
        return null;
    }

    private static Reply now(Message m) {
        return new Reply.Now(m);
    }
}
