package io.dormouse.schedule;

import java.time.Duration;
import java.time.Instant;

/**
 * How fast demand history runs against the clock: 1 in production; above 1 in demos and tests, where
 * a day-long pattern replays in seconds. Series time runs {@code scale} times faster than the clock from
 * {@code origin}, a Monday midnight (UTC) shortly before: forecasters count time in nanoseconds since
 * the epoch, so series time must stay within a few centuries of it, and a midnight keeps the hours of
 * the day of series time where the clock's seconds put them.
 */
record Pace(double scale, Instant origin) {

    private static final long WEEK_MILLIS = Duration.ofDays(7).toMillis();
    /** 1970-01-05, a Monday. */
    private static final long MONDAY_MILLIS = Duration.ofDays(4).toMillis();

    Pace {
        if (!(scale >= 1)) {
            throw new IllegalArgumentException("time scale must be 1 or more, got " + scale);
        }
    }

    /** A pace of {@code scale} from the Monday midnight (UTC) before {@code now}. */
    static Pace of(double scale, Instant now) {
        long monday = MONDAY_MILLIS + Math.floorDiv(now.toEpochMilli() - MONDAY_MILLIS, WEEK_MILLIS) * WEEK_MILLIS;
        return new Pace(scale, Instant.ofEpochMilli(monday));
    }

    Instant series(Instant clock) {
        if (scale == 1) {
            return clock;
        }
        long since = clock.toEpochMilli() - origin.toEpochMilli();
        return Instant.ofEpochMilli(origin.toEpochMilli() + Math.round(since * scale));
    }

    Duration series(Duration clock) {
        return scale == 1 ? clock : Duration.ofMillis(Math.round(clock.toMillis() * scale));
    }

    Instant clock(Instant series) {
        if (scale == 1) {
            return series;
        }
        long since = series.toEpochMilli() - origin.toEpochMilli();
        return Instant.ofEpochMilli(origin.toEpochMilli() + Math.round(since / scale));
    }

    Duration clock(Duration series) {
        return scale == 1 ? series : Duration.ofMillis(Math.round(series.toMillis() / scale));
    }
}
