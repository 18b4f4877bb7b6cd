package io.dormouse.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {

    // a Wednesday
    private static final Instant NOW = Instant.parse("2026-11-18T12:00:00Z");

    @Test
    void keepsTheLastN() {
        List<Version> versions = everyHours(10, 1);

        assertThat(new Retention(3, 0, 0).keep(versions, NOW)).containsExactlyInAnyOrder(8L, 9L, 10L);
    }

    @Test
    void keepsTheNewestOfEachRecentDay() {
        // one version every 6 hours for 5 days: 20 versions, newest at NOW
        List<Version> versions = everyHours(20, 6);

        // last 1 (v20, today 12:00) is also today's newest; yesterday's newest is v17 (18:00), the day
        // before's is v13 (18:00)
        assertThat(new Retention(1, 3, 0).keep(versions, NOW)).containsExactlyInAnyOrder(20L, 17L, 13L);
    }

    @Test
    void keepsTheNewestOfEachRecentIsoWeek() {
        // one version a day for 20 days, newest on Wednesday 2026-11-18
        List<Version> versions = everyHours(20, 24);

        // this week (Mon 16th - Wed 18th): v20; last week (9th-15th): Sunday 15th is v17; the week before: v10
        assertThat(new Retention(1, 0, 3).keep(versions, NOW)).containsExactlyInAnyOrder(20L, 17L, 10L);
    }

    @Test
    void theNewestIsAlwaysKept() {
        assertThatThrownBy(() -> new Retention(0, 7, 4)).hasMessageContaining("keepLast must be 1 or more");
        assertThatThrownBy(() -> new Retention(1, -1, 0)).hasMessageContaining("daily and weekly");
    }

    /** {@code count} versions {@code hours} apart, the last at {@link #NOW}. */
    private static List<Version> everyHours(int count, int hours) {
        List<Version> versions = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            Instant at = NOW.minus(Duration.ofHours((long) (count - i) * hours));
            versions.add(new Version(1, i, null, at, 0, 0, 0, "manifests/1/" + i, "7.2", "fp"));
        }
        return versions;
    }
}
