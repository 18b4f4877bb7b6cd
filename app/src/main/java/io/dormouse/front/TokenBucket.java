package io.dormouse.front;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * One VM's bandwidth limit in bytes per second, shared by both directions of all its connections.
 * A sender takes what it just read and waits the returned time before writing it: the bucket may go
 * into debt by one chunk, which keeps the average at the rate without splitting reads.
 */
final class TokenBucket {

    /** The smallest bucket: a limit below it still lets a whole small packet through at once. */
    static final int MIN_BURST = 16 * 1024;

    private final InstantSource clock;
    private long rate;
    private double tokens;
    private long at;

    TokenBucket(InstantSource clock) {
        this.clock = clock;
        this.at = nanos(clock.instant());
    }

    /** Bytes per second; 0 = unlimited. */
    synchronized long rate() {
        return rate;
    }

    synchronized void rate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond must be 0 (unlimited) or more, got " + bytesPerSecond);
        }
        refill();
        rate = bytesPerSecond;
        tokens = Math.min(tokens, burst());
    }

    /** The most a sender should read at once under the current limit; {@code Integer.MAX_VALUE} when unlimited. */
    synchronized int chunk() {
        return rate == 0 ? Integer.MAX_VALUE : (int) burst();
    }

    /** Takes {@code bytes}; returns how long to wait before sending them (zero when the bucket held them). */
    synchronized Duration take(long bytes) {
        if (rate == 0) {
            return Duration.ZERO;
        }
        refill();
        tokens -= bytes;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens * 1e9 / rate));
    }

    private long burst() {
        return Math.max(MIN_BURST, rate / 10);
    }

    private void refill() {
        long now = nanos(clock.instant());
        if (now > at) {
            tokens = rate == 0 ? burst() : Math.min(burst(), tokens + (now - at) * (double) rate / 1e9);
            at = now;
        }
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
