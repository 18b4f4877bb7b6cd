package io.dormouse.dns;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * The hot path: a plain A query (optionally with an empty EDNS version 0 OPT) for a running VM,
 * answered by reading and writing the wire format directly (RFC 1035 §4.1), without building
 * messages and allocating only the VM name and the lookup's answer. Anything else, or anything
 * unusual, returns -1 and goes the full way through {@link Responder}; the answers are the same
 * either way (FastPathTest compares them).
 */
final class FastPath {

    private static final int HEADER = 12;
    private static final int TYPE_A = 1;
    private static final int CLASS_IN = 1;
    private static final int TYPE_OPT = 41;

    private final byte[] zoneWire;
    private final Names names;
    private final int ttl;
    private final int maxUdpPayload;

    FastPath(DnsSettings settings, Names names) {
        this.zoneWire = wire(settings.zone());
        this.names = names;
        this.ttl = (int) settings.answerTtl().toSeconds();
        this.maxUdpPayload = settings.maxUdpPayload();
    }

    /** The zone name in wire form, lower case: length-prefixed labels ending with the root. */
    private static byte[] wire(String zone) {
        String z = zone.substring(0, zone.length() - 1);
        byte[] out = new byte[z.length() + 2];
        int at = 0;
        for (String label : z.split("\\.")) {
            out[at++] = (byte) label.length();
            for (int i = 0; i < label.length(); i++) {
                out[at++] = (byte) label.charAt(i);
            }
        }
        out[at] = 0;
        return out;
    }

    /** Writes the answer to {@code in} into {@code out} and returns its length, or -1 to take the full path. */
    int answer(byte[] in, int len, byte[] out, InetAddress client) {
        if (len < HEADER + 1 + zoneWire.length + 4 || len > 512) {
            return -1;
        }
        // Flags: QR 0, opcode QUERY, no TC; Z, AD, CD and rcode zero (RA ignored as servers do).
        if ((in[2] & 0xFA) != 0 || (in[3] & 0x7F) != 0) {
            return -1;
        }
        int arcount = u16(in, 10);
        if (u16(in, 4) != 1 || u16(in, 6) != 0 || u16(in, 8) != 0 || arcount > 1) {
            return -1;
        }
        int labelLength = in[HEADER] & 0xFF;
        if (labelLength == 0 || labelLength > 63) {
            return -1;
        }
        int zoneAt = HEADER + 1 + labelLength;
        int questionEnd = zoneAt + zoneWire.length + 4;
        if (questionEnd > len || !zoneAt(in, zoneAt)) {
            return -1;
        }
        if (u16(in, questionEnd - 4) != TYPE_A || u16(in, questionEnd - 2) != CLASS_IN) {
            return -1;
        }
        boolean edns = arcount == 1;
        if (edns) {
            // An OPT record with the root owner, version 0, no extended rcode and no options.
            if (len != questionEnd + 11 || in[questionEnd] != 0 || u16(in, questionEnd + 1) != TYPE_OPT
                    || in[questionEnd + 5] != 0 || in[questionEnd + 6] != 0 || u16(in, questionEnd + 9) != 0) {
                return -1;
            }
        } else if (len != questionEnd) {
            return -1;
        }
        String vm = label(in, HEADER + 1, labelLength);
        if (vm == null || vm.equals("ns1")) {
            return -1;
        }
        Optional<VmEntry> entry = names.lookup(vm);
        if (entry.isEmpty() || !(entry.get() instanceof VmEntry.Running running)) {
            return -1;
        }
        names.queried(vm, client);
        System.arraycopy(in, 0, out, 0, questionEnd);
        out[2] = (byte) (0x84 | (in[2] & 0x01)); // QR, AA, RD copied
        out[3] = 0; // RA clear, NOERROR
        out[7] = 1; // one answer
        out[11] = (byte) (edns ? 1 : 0);
        int at = questionEnd;
        out[at++] = (byte) 0xC0; // owner: pointer to the question name
        out[at++] = HEADER;
        at = put16(out, at, TYPE_A);
        at = put16(out, at, CLASS_IN);
        at = put16(out, at, ttl >>> 16);
        at = put16(out, at, ttl);
        at = put16(out, at, 4);
        int address = running.address().hashCode(); // Inet4Address's hash code is its address; getAddress() copies
        at = put16(out, at, address >>> 16);
        at = put16(out, at, address);
        if (edns) {
            out[at++] = 0;
            at = put16(out, at, TYPE_OPT);
            at = put16(out, at, maxUdpPayload);
            at = put16(out, at, 0);
            at = put16(out, at, 0);
            at = put16(out, at, 0);
        }
        return at;
    }

    private boolean zoneAt(byte[] in, int at) {
        for (int i = 0; i < zoneWire.length; i++) {
            byte b = in[at + i];
            if (b >= 'A' && b <= 'Z') {
                b = (byte) (b + 32);
            }
            if (b != zoneWire[i]) {
                return false;
            }
        }
        return true;
    }

    /** The label in lower case when it is letters, digits and hyphens (what VM names are); otherwise null. */
    private static String label(byte[] in, int at, int length) {
        for (int i = at; i < at + length; i++) {
            byte b = in[i];
            if (!(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b >= 'A' && b <= 'Z')) {
                return null;
            }
        }
        return new String(in, at, length, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
        return at + 2;
    }
}
