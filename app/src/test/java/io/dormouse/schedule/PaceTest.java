package io.dormouse.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PaceTest {

    @Test
    void realPaceIsTheClock() {
        Instant t = Instant.parse("2026-11-22T09:30:00.123Z");
        Pace real = Pace.of(1, t);
        assertThat(real.series(t)).isEqualTo(t);
        assertThat(real.series(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void acceleratedPaceRunsFromAMondayMidnightAndKeepsTheClocksSecondsAsHoursOfTheDay() {
        Instant sunday = Instant.parse("2026-11-22T09:30:07Z");
        Pace fast = Pace.of(3600, sunday);
        assertThat(fast.origin()).isEqualTo(Instant.parse("2026-11-16T00:00:00Z"));
        Instant series = fast.series(sunday);
        // the clock's second of a 24-second day is the series hour of the day
        long hourOfDay = Math.floorMod(series.getEpochSecond() / 3600, 24);
        assertThat(hourOfDay).isEqualTo(Math.floorMod(sunday.getEpochSecond(), 24));
        assertThat(fast.clock(series)).isEqualTo(sunday);
        assertThat(fast.series(Duration.ofSeconds(2))).isEqualTo(Duration.ofHours(2));
        assertThat(fast.clock(Duration.ofHours(14 * 24))).isEqualTo(Duration.ofSeconds(336));
        // within the range forecasters can count in nanoseconds
        assertThat(series).isBefore(Instant.parse("2262-01-01T00:00:00Z"));
    }
}
