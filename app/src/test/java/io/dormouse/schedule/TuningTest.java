package io.dormouse.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dormouse.schedule.SchedulePolicy.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TuningTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
    private static final int DAY = 24 * 60;
    private static final int DAYS = 7;
    private static final Tuning.Grid GRID = new Tuning.Grid(List.of(0.5, 1.5, 5.0, 20.0),
            List.of(1, 2, 3, 5, 10, 15, 30, 60).stream().map(Duration::ofMinutes).toList());

    private static final SchedulePolicy BASE = new SchedulePolicy(Kind.FIXED_IDLE, 0.5, MINUTE, 0.5, Duration.ZERO,
            Duration.ZERO, 60, AlwaysOnWindows.NONE, false);

    /** Every day from 09:00 to 12:00 a request every 7 minutes (6 quiet minutes between), nothing else. */
    private static double[] morningsWithSixMinuteGaps() {
        double[] demand = new double[DAYS * DAY];
        for (int d = 0; d < DAYS; d++) {
            for (int m = 9 * 60; m < 12 * 60; m += 7) {
                demand[d * DAY + m] = 3.0;
            }
        }
        return demand;
    }

    private static Tuning.Tuned tune(SchedulePolicy base, double[] demand, Foresight foresight, double penalty,
                                     double hourCost) {
        return Tuning.tune(base, demand, START, MINUTE, foresight, Duration.ofSeconds(20),
                new Tuning.Costs(penalty, hourCost, 0.0), GRID);
    }

    @Test
    void aDearColdStartPicksTheShortestDurationThatOutlastsTheGapsBetweenRequests() {
        double[] demand = morningsWithSixMinuteGaps();
        Tuning.Tuned tuned = tune(BASE, demand, Foresight.perfect(demand), 100, 1);
        // shorter durations hibernate in every 6-minute gap; longer ones only idle longer
        assertThat(tuned.hibernateAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(tuned.hibernateBelow()).isBetween(0.0, 3.0);
        // one cold start a day, at the first request of the morning
        assertThat(tuned.outcome().coldStarts()).isEqualTo(DAYS);
        assertThat(tuned.candidates()).isEqualTo(GRID.levels().size() * GRID.durations().size());
        assertThat(tuned.expectedCost()).isCloseTo(DAYS * 100 + tuned.outcome().idleAwakeHours(), within(1e-9));
    }

    @Test
    void aFreeColdStartPicksTheShortestDuration() {
        double[] demand = morningsWithSixMinuteGaps();
        Tuning.Tuned tuned = tune(BASE, demand, Foresight.perfect(demand), 0, 1);
        assertThat(tuned.hibernateAfter()).isEqualTo(MINUTE);
        assertThat(tuned.outcome().coldStarts()).isGreaterThan(DAYS * 20);
        assertThat(tuned.expectedCost()).isEqualTo(tuned.outcome().idleAwakeHours());
    }

    @Test
    void predictiveTuningOnADailyBurstWakesAheadOfEveryBurstAndSleepsRightAfter() {
        // 0.2 of background noise, a burst of 10 from 09:00 to 10:00 every day
        double[] demand = new double[DAYS * DAY];
        Arrays.fill(demand, 0.2);
        for (int d = 0; d < DAYS; d++) {
            Arrays.fill(demand, d * DAY + 9 * 60, d * DAY + 10 * 60, 10.0);
        }
        SchedulePolicy base = BASE.withKind(Kind.PREDICTIVE);
        Tuning.Tuned tuned = Tuning.tune(base, demand, START, MINUTE, Foresight.perfect(demand), Duration.ofMinutes(2),
                new Tuning.Costs(10, 1, 1.0), GRID);
        assertThat(tuned.outcome().coldStarts()).isZero();
        assertThat(tuned.outcome().wakesAhead()).isEqualTo(DAYS);
        assertThat(tuned.hibernateBelow()).isBetween(0.2, 10.0);
        assertThat(tuned.wakeAbove()).isBetween(tuned.hibernateBelow(), 10.0);
        // awake and idle: the restore (2 min) and the step it starts ahead; the minute after the burst
        assertThat(tuned.outcome().idleAwakeHours()).isLessThanOrEqualTo((DAYS * 5 + 1) / 60.0);
        assertThat(tuned.outcome().awakeHours()).isGreaterThanOrEqualTo(DAYS);

        // a seasonal naive forecast of the previous day has nothing to say on the first day, which is
        // never quiet for it: the VM stays awake through it, then wakes ahead of every later burst
        Tuning.Tuned naive = Tuning.tune(base, demand, START, MINUTE, Foresight.repeating(demand, DAY),
                Duration.ofMinutes(2), new Tuning.Costs(10, 1, 1.0), GRID);
        assertThat(naive.outcome().coldStarts()).isZero();
        assertThat(naive.outcome().wakesAhead()).isEqualTo(DAYS - 1);
        assertThat(naive.outcome().idleAwakeHours()).isGreaterThan(23.0);
    }

    @Test
    void theDefaultGridSplitsTheHistorysValuesAndScalesDurationsWithTheStep() {
        double[] demand = new double[100];
        Arrays.fill(demand, 50, 100, 4.0);
        Tuning.Grid grid = Tuning.Grid.of(demand, Duration.ofSeconds(1));
        assertThat(grid.levels()).containsExactly(2.0);
        assertThat(grid.durations()).first().isEqualTo(Duration.ofSeconds(1));
        assertThat(grid.durations()).last().isEqualTo(Duration.ofMinutes(4));
        assertThat(Tuning.Grid.of(demand, Duration.ofHours(1)).durations()).last().isEqualTo(Duration.ofHours(15));
    }

    @Test
    void replayCountsAColdStartOncePerWakeAndAwakeIdleSteps() {
        // asleep from the first decision; requests at steps 10 and 11: one cold start, restore of 90 s
        double[] demand = new double[20];
        demand[10] = 1;
        demand[11] = 1;
        SchedulePolicy policy = BASE.withThresholds(0.5, Duration.ofMinutes(30), 0.5);
        Replay.Outcome outcome = Replay.run(policy.withThresholds(0.5, MINUTE, 0.5), demand, START, MINUTE,
                Foresight.perfect(demand), Duration.ofSeconds(90), 0, 1);
        assertThat(outcome.coldStarts()).isEqualTo(1);
        assertThat(outcome.hibernations()).isEqualTo(2);
        // awake at step 0 and from 10 to 12 (hibernated again at 13): steps 0 and 12 are idle
        assertThat(outcome.awakeHours()).isCloseTo(4 / 60.0, within(1e-9));
        assertThat(outcome.idleAwakeHours()).isCloseTo(2 / 60.0, within(1e-9));
    }
}
