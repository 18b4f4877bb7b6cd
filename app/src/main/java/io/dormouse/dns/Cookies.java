package io.dormouse.dns;

import java.net.InetAddress;
import java.time.InstantSource;

/**
 * Server cookies for DNS cookies (RFC 7873) in the interoperable format of RFC 9018: version 1,
 * three reserved bytes, a 32-bit timestamp and SipHash-2-4 over the client cookie and address.
 */
final class Cookies {

    static final int CLIENT_LENGTH = 8;
    private final long k0;
    private final long k1;
    private final InstantSource clock;

    Cookies(byte[] secret, InstantSource clock) {
        if (secret.length != 16) {
            throw new IllegalArgumentException("cookie secret has " + secret.length + " bytes; expected 16");
        }
        this.k0 = le(secret, 0);
        this.k1 = le(secret, 8);
        this.clock = clock;
    }

    /** The 16-byte server cookie for this client cookie and client address. */
    byte[] serverCookie(byte[] clientCookie, InetAddress client) {
        byte[] ip = client.getAddress();
        byte[] input = new byte[CLIENT_LENGTH + 8 + ip.length];
        System.arraycopy(clientCookie, 0, input, 0, CLIENT_LENGTH);
        long now = clock.millis() / 1000;
        input[8] = 1;
        input[12] = (byte) (now >>> 24);
        input[13] = (byte) (now >>> 16);
        input[14] = (byte) (now >>> 8);
        input[15] = (byte) now;
        System.arraycopy(ip, 0, input, 16, ip.length);
        long hash = sipHash24(input);
        byte[] out = new byte[16];
        System.arraycopy(input, 8, out, 0, 8);
        for (int i = 0; i < 8; i++) {
            out[8 + i] = (byte) (hash >>> (8 * i));
        }
        return out;
    }

    private static long le(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    /** SipHash-2-4 as specified by Aumasson and Bernstein; 64-bit output. */
    private long sipHash24(byte[] m) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int blocks = m.length / 8;
        long[] v = {v0, v1, v2, v3};
        for (int i = 0; i < blocks; i++) {
            long word = le(m, i * 8);
            v[3] ^= word;
            round(v);
            round(v);
            v[0] ^= word;
        }
        long last = ((long) m.length & 0xFF) << 56;
        for (int i = 0; i < m.length % 8; i++) {
            last |= (m[blocks * 8 + i] & 0xFFL) << (8 * i);
        }
        v[3] ^= last;
        round(v);
        round(v);
        v[0] ^= last;
        v[2] ^= 0xFF;
        for (int i = 0; i < 4; i++) {
            round(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void round(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
