package io.dormouse.state;

import java.time.Duration;
import java.time.Instant;

/**
 * The bucket lengths metric samples are rolled up into as they are appended (the {@code metric_rollups}
 * table). Buckets start at whole multiples of their length since the epoch, so a coarser bucket is made of
 * whole finer ones.
 */
public enum Resolution {
    FIVE_MINUTES(Duration.ofMinutes(5)),
    HOUR(Duration.ofHours(1));

    private final Duration length;
    private final long millis;

    Resolution(Duration length) {
        this.length = length;
        this.millis = length.toMillis();
    }

    public Duration length() {
        return length;
    }

    long millis() {
        return millis;
    }

    /** The start of the bucket holding {@code at}. */
    public Instant bucketOf(Instant at) {
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), millis) * millis);
    }

    static Resolution ofMillis(long millis) {
        for (Resolution r : values()) {
            if (r.millis == millis) {
                return r;
            }
        }
        throw new IllegalArgumentException("no resolution of " + millis + " ms; allowed 300000, 3600000");
    }
}
