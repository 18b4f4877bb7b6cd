package io.dormouse.dns;

import java.net.InetAddress;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Response-rate limiting for UDP floods: a token bucket per client /24; over the limit, every
 * {@code slip}-th response goes out truncated (so a real client retries over TCP) and the rest are dropped.
 */
final class ResponseRate {

    enum Admit { ALLOW, DROP, SLIP }

    private final TokenBuckets buckets;
    private final boolean off;
    private final int slip;
    private final AtomicLong over = new AtomicLong();

    ResponseRate(DnsSettings.Rate rate, int slip, InstantSource clock) {
        this.buckets = new TokenBuckets(rate, clock);
        this.off = rate.off();
        this.slip = slip;
    }

    Admit admit(InetAddress client) {
        if (off || buckets.take(TokenBuckets.network(client))) {
            return Admit.ALLOW;
        }
        return slip > 0 && over.incrementAndGet() % slip == 0 ? Admit.SLIP : Admit.DROP;
    }
}
