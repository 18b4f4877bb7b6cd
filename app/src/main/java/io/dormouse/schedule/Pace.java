package io.dormouse.schedule;

import java.time.Duration;
import java.time.Instant;

/**
 * How fast demand history runs against the clock: 1 in production; above 1 in demos and tests, where
 * a day-long pattern replays in seconds. Series time is clock time since the epoch times the scale,
 * so that steps of series time line up with the epoch as forecasters expect.
 */
record Pace(double scale) {

    static final Pace REAL = new Pace(1);

    Pace {
        if (!(scale >= 1)) {
            throw new IllegalArgumentException("time scale must be 1 or more, got " + scale);
        }
    }

    Instant series(Instant clock) {
        return scale == 1 ? clock : Instant.ofEpochMilli(Math.round(clock.toEpochMilli() * scale));
    }

    Duration series(Duration clock) {
        return scale == 1 ? clock : Duration.ofMillis(Math.round(clock.toMillis() * scale));
    }

    Instant clock(Instant series) {
        return scale == 1 ? series : Instant.ofEpochMilli(Math.round(series.toEpochMilli() / scale));
    }

    Duration clock(Duration series) {
        return scale == 1 ? series : Duration.ofMillis(Math.round(series.toMillis() / scale));
    }
}
