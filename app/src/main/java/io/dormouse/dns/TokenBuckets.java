package io.dormouse.dns;

import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/** Token buckets by key (a VM name, a client network), refilled from an injected clock. */
final class TokenBuckets {

    /** Beyond this many keys, buckets that have refilled completely are forgotten. */
    private static final int MAX_KEYS = 100_000;

    private final DnsSettings.Rate rate;
    private final InstantSource clock;
    private final ConcurrentHashMap<Object, Bucket> buckets = new ConcurrentHashMap<>();

    TokenBuckets(DnsSettings.Rate rate, InstantSource clock) {
        this.rate = rate;
        this.clock = clock;
    }

    /** Takes one token for {@code key}; false when its bucket is empty. Always true when the rate is off. */
    boolean take(Object key) {
        if (rate.off()) {
            return true;
        }
        long now = clock.millis();
        if (buckets.size() > MAX_KEYS) {
            buckets.values().removeIf(b -> b.fullAt(now, rate));
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(rate.burst(), now));
        return bucket.take(now, rate);
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized boolean take(long now, DnsSettings.Rate rate) {
            refill(now, rate);
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        synchronized boolean fullAt(long now, DnsSettings.Rate rate) {
            refill(now, rate);
            return tokens >= rate.burst();
        }

        private void refill(long now, DnsSettings.Rate rate) {
            if (now > at) {
                tokens = Math.min(rate.burst(), tokens + (now - at) * rate.perSecond() / 1000.0);
                at = now;
            }
        }
    }

    /** The client's /24 (IPv4) or /56 (IPv6) as a map key. */
    static Object network(java.net.InetAddress client) {
        byte[] a = client.getAddress();
        long key = 0;
        int bytes = a.length == 4 ? 3 : 7;
        for (int i = 0; i < bytes; i++) {
            key = (key << 8) | (a[i] & 0xFF);
        }
        return a.length == 4 ? key : ~key;
    }
}
