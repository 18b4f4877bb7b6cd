package io.dormouse.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;

/** The zone's fixed records (SOA, NS, the name server's address) and what a query name refers to. */
final class Zone {

    static final String VMSTATE_LABEL = "_vmstate";
    private static final long SOA_TTL = 3600;

    /** What a name inside (or outside) the zone is. */
    sealed interface Owner {
        record Outside() implements Owner {}
        record Apex() implements Owner {}
        record NameServer() implements Owner {}
        record Vm(String name) implements Owner {}
        record VmState(String name) implements Owner {}
        record Nothing() implements Owner {}
    }

    private static final Owner OUTSIDE = new Owner.Outside();
    private static final Owner APEX = new Owner.Apex();
    private static final Owner NAME_SERVER = new Owner.NameServer();
    private static final Owner NOTHING = new Owner.Nothing();

    private final Name apex;
    private final int apexLabels;
    private final DnsSettings settings;
    private final SOARecord soa;
    private final SOARecord negativeSoa;
    private final NSRecord ns;
    private final ARecord nsAddress;
    private final String nsLabel;

    Zone(DnsSettings settings, long serial) {
        this.settings = settings;
        this.apex = Name.fromConstantString(settings.zone());
        this.apexLabels = apex.labels();
        Name nsName = child("ns1");
        this.nsLabel = "ns1";
        Name hostmaster = child("hostmaster");
        long negative = settings.negativeTtl().toSeconds();
        this.soa = new SOARecord(apex, DClass.IN, SOA_TTL, nsName, hostmaster, serial, 3600, 600, 86400, negative);
        this.negativeSoa = new SOARecord(apex, DClass.IN, Math.min(SOA_TTL, negative), nsName, hostmaster, serial,
                3600, 600, 86400, negative);
        this.ns = new NSRecord(apex, DClass.IN, SOA_TTL, nsName);
        this.nsAddress = new ARecord(nsName, DClass.IN, SOA_TTL, settings.nsAddress());
    }

    private Name child(String label) {
        return Name.fromConstantString(label + "." + settings.zone());
    }

    /** Classifies a query name; VM names come back in lower case. */
    Owner owner(Name qname) {
        if (!qname.subdomain(apex)) {
            return OUTSIDE;
        }
        int extra = qname.labels() - apexLabels;
        if (extra == 0) {
            return APEX;
        }
        if (extra == 1) {
            String label = qname.getLabelString(0).toLowerCase(Locale.ROOT);
            return label.equals(nsLabel) ? NAME_SERVER : new Owner.Vm(label);
        }
        if (extra == 2 && qname.getLabelString(0).equalsIgnoreCase(VMSTATE_LABEL)) {
            return new Owner.VmState(qname.getLabelString(1).toLowerCase(Locale.ROOT));
        }
        return NOTHING;
    }

    SOARecord soa() {
        return soa;
    }

    /** The SOA for the authority section of negative answers: TTL min(SOA TTL, minimum) (RFC 2308 §3). */
    SOARecord negativeSoa() {
        return negativeSoa;
    }

    NSRecord ns() {
        return ns;
    }

    ARecord nsAddress(Name owner) {
        return new ARecord(owner, DClass.IN, SOA_TTL, settings.nsAddress());
    }

    ARecord nsGlue() {
        return nsAddress;
    }

    /** The {@code _vmstate} pair: the private-type record in RFC 3597 generic form, and TXT. */
    List<Record> vmstate(Name owner, VmStateRecord state, long ttl) {
        List<String> strings = state.strings();
        return List.of(Record.newRecord(owner, settings.vmstateType(), DClass.IN, ttl, characterStrings(strings)),
                new TXTRecord(owner, DClass.IN, ttl, strings));
    }

    /** RDATA as a sequence of character-strings (RFC 1035 §3.3): a length byte, then at most 255 bytes. */
    static byte[] characterStrings(List<String> strings) {
        List<byte[]> parts = new ArrayList<>(strings.size());
        int size = 0;
        for (String s : strings) {
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (b.length > 255) {
                throw new IllegalArgumentException("_vmstate string \"" + s + "\" is longer than 255 bytes");
            }
            parts.add(b);
            size += 1 + b.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] b : parts) {
            out[at++] = (byte) b.length;
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }
}
