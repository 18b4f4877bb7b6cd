package io.dormouse.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Admission on the UDP receive path: a token bucket per source address (IPv6: per /64), checked before
 * a query is parsed, so a flooding source costs one receive and one table lookup per packet. A source
 * refused a whole burst's worth within {@link #WINDOW_NANOS}, right after spending its burst, is flooding,
 * not bursting. The buckets
 * are GCRA cells (RFC 2697's token bucket as a single "theoretical arrival time") in a fixed open-addressed
 * table: no allocation per packet and no lock; the receive loops update a cell with one compare-and-set.
 */
final class SourceLimit {

    /** What to do with a datagram. */
    enum Verdict {
        ADMIT,
        /** Over the limit: drop it. */
        REFUSE,
        /** Over the limit by far (a burst's worth refused within 100 ms): drop it and box its sender. */
        FLOOD
    }

    private static final int SLOTS = 1 << 14;
    private static final int PROBES = 8;
    private static final long EMPTY = 0;
    private static final long WINDOW_NANOS = 100_000_000;

    private final boolean off;
    private final int floodCount;
    private final long intervalNanos;
    private final long toleranceNanos;
    private final InstantSource clock;
    private final AtomicLongArray keys = new AtomicLongArray(SLOTS);
    /** Per cell, when its bucket is full again, in nanoseconds of {@link #clock}. */
    private final AtomicLongArray fullAt = new AtomicLongArray(SLOTS);
    /** Per cell, datagrams refused since {@link #windowAt}. */
    private final AtomicIntegerArray refused = new AtomicIntegerArray(SLOTS);
    private final AtomicLongArray windowAt = new AtomicLongArray(SLOTS);

    SourceLimit(DnsSettings.Rate rate, InstantSource clock) {
        this.off = rate.off();
        this.intervalNanos = off ? 0 : Math.max(1, (long) (1e9 / rate.perSecond()));
        this.toleranceNanos = intervalNanos * rate.burst();
        this.floodCount = Math.max(1, rate.burst());
        this.clock = clock;
    }

    /** Takes a token for {@code source}, or says how far over its limit it is. */
    Verdict admit(InetAddress source) {
        if (off) {
            return Verdict.ADMIT;
        }
        long key = key(source);
        long now = clock.millis() * 1_000_000;
        int slot = (int) (mix(key) & (SLOTS - 1));
        for (int probe = 0; probe < PROBES; probe++, slot = (slot + 1) & (SLOTS - 1)) {
            long owner = keys.get(slot);
            if (owner == key) {
                return verdict(slot, now);
            }
            // A free cell, or one whose bucket has refilled (its source went quiet), can be taken over.
            if ((owner == EMPTY || fullAt.get(slot) <= now) && keys.compareAndSet(slot, owner, key)) {
                fullAt.set(slot, now);
                return verdict(slot, now);
            }
        }
        return Verdict.ADMIT; // every nearby cell busy with another active source: let it through rather than guess
    }

    private Verdict verdict(int slot, long now) {
        if (take(slot, now)) {
            return Verdict.ADMIT;
        }
        long window = windowAt.get(slot);
        if (now - window >= WINDOW_NANOS && windowAt.compareAndSet(slot, window, now)) {
            refused.set(slot, 0);
        }
        return refused.incrementAndGet(slot) >= floodCount ? Verdict.FLOOD : Verdict.REFUSE;
    }

    private boolean take(int slot, long now) {
        while (true) {
            long full = fullAt.get(slot);
            long next = Math.max(full, now) + intervalNanos;
            if (next - now > toleranceNanos) {
                return false;
            }
            if (fullAt.compareAndSet(slot, full, next)) {
                return true;
            }
        }
    }

    /** The address (IPv4) or its /64 (IPv6) as a non-zero number. */
    private static long key(InetAddress source) {
        long key;
        if (source instanceof Inet4Address v4) {
            key = 0x1_0000_0000L | (v4.hashCode() & 0xFFFF_FFFFL); // Inet4Address's hash code is its address
        } else {
            byte[] a = source.getAddress();
            key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (a[i] & 0xFF);
            }
        }
        return key == EMPTY ? -1 : key;
    }

    private static long mix(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return h ^ (h >>> 29);
    }
}
