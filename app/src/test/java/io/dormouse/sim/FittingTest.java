package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FittingTest {

    /** A week of history and a day scored, with a request every {@code every} steps. */
    private static VmRun periodic(int every) {
        return periodic(every, 1);
    }

    /** A week of history and {@code days} scored, with a request every {@code every} steps. */
    private static VmRun periodic(int every, int days) {
        VmRun run = new VmRun(2016 + days * 288, 2016);
        for (int t = 0; t < run.steps; t++) {
            run.requests[t] = t % every == 0 ? 3 : 0;
            run.demand[t] = run.requests[t];
            run.observed[t] = run.requests[t] > 0 ? 1 : 0;
        }
        return run;
    }

    @Test
    void tuningKeepsAVmAwakeThroughItsHourLongPausesOnlyWhileIdleHoursAreCheap() {
        VmRun run = periodic(13);

        Fitting.tuned(run);

        // 12 quiet steps between requests: the shortest timeout that outlasts them is 90 minutes (18 steps);
        // at 0.1 per idle hour a pause costs 0.1 awake, against 1 for a cold start; at 10 it costs 10
        assertThat(Family.TUNED_COSTS[0]).isEqualTo(0.1);
        assertThat(run.tunedTimeout[0]).isEqualTo(18);
        assertThat(Family.TUNED_COSTS[Family.TUNED_COSTS.length - 1]).isEqualTo(10);
        assertThat(run.tunedTimeout[Family.TUNED_COSTS.length - 1]).isEqualTo(1);
    }

    @Test
    void thePredictiveSignalIsHighRightAfterARequestOfAVmThatIsBusyEveryOtherStep() {
        VmRun run = periodic(2);

        Fitting.predictive(run, new ActivityOdds());

        int t = run.from + 11;   // odd: quiet, the step before had a request
        assertThat(run.requests[t - 1]).isPositive();
        assertThat(run.ahead[t * Fitting.AHEAD]).as("chance at a quiet step after a request").isLessThan(0.2);
        assertThat(run.ahead[t * Fitting.AHEAD + 1]).as("chance one step later, after one quiet step").isGreaterThan(0.8);
    }

    @Test
    void theExpectedCostRuleOutlastsAVmsRegularPausesAndHibernatesAtOnceWhenIdleHoursAreDear() {
        VmRun run = periodic(13);

        Fitting.expectedCost(run, new QuietHazard());

        // every gap is 12 quiet steps: either stay 13 steps (12 idle steps, 1 h) or hibernate after 1 (a cold start)
        int cheap = 0;
        int dear = Family.EXPECTED_COSTS.length - 1;
        assertThat(Family.EXPECTED_COSTS[cheap]).isLessThan(1);
        assertThat(Family.EXPECTED_COSTS[dear]).isGreaterThan(1);
        for (int ctx = 0; ctx < QuietHazard.CONTEXTS; ctx++) {
            assertThat(run.quietLimit[cheap * QuietHazard.CONTEXTS + ctx]).isEqualTo(13);
            assertThat(run.quietLimit[dear * QuietHazard.CONTEXTS + ctx]).isEqualTo(1);
        }

        boolean[] awake = new boolean[run.steps];
        Decisions.expectedCost(run, cheap, awake);
        for (int t = run.from; t < run.steps; t++) {
            assertThat(awake[t]).as("awake at step %d", t).isTrue();
        }
        Decisions.expectedCost(run, dear, awake);
        for (int t = run.from; t < run.steps; t++) {
            assertThat(awake[t]).as("awake at step %d", t).isEqualTo(run.requests[t - 1] > 0);
        }
    }

    @Test
    void aNewDaysLimitDoesNotWakeAVmInTheMiddleOfAGap() {
        VmRun run = new VmRun(2016 + 2 * 288, 2016);
        int lastRequest = run.from + 288 - 3;   // three steps before the scored second midnight
        run.requests[lastRequest] = 1;
        int perDay = Family.EXPECTED_COSTS.length * QuietHazard.CONTEXTS;
        java.util.Arrays.fill(run.quietLimit, 0, perDay, 2);          // day 0: hibernate after 2 quiet steps
        java.util.Arrays.fill(run.quietLimit, perDay, 2 * perDay, 50); // day 1: a longer limit

        boolean[] awake = new boolean[run.steps];
        Decisions.expectedCost(run, 0, awake);

        assertThat(awake[lastRequest + 1]).isTrue();
        assertThat(awake[lastRequest + 2]).isTrue();
        assertThat(awake[lastRequest + 3]).as("hibernated after 2 quiet steps").isFalse();
        assertThat(awake[run.from + 288]).as("still hibernated after midnight").isFalse();
        assertThat(awake[run.from + 288 + 10]).isFalse();
    }

    @Test
    void theExpectedCostLimitsOfADayDependOnlyOnTheStepsBeforeItsMidnight() {
        VmRun a = periodic(13, 2);
        VmRun b = periodic(13, 2);
        for (int t = b.from; t < b.steps; t++) {
            b.requests[t] = t % 3 == 0 ? 1 : 0;   // a different scored part: pauses of 2 steps
        }

        Fitting.expectedCost(a, new QuietHazard());
        Fitting.expectedCost(b, new QuietHazard());

        int perDay = Family.EXPECTED_COSTS.length * QuietHazard.CONTEXTS;
        assertThat(java.util.Arrays.copyOf(b.quietLimit, perDay)).as("the first scored day's limits")
                .isEqualTo(java.util.Arrays.copyOf(a.quietLimit, perDay));
        assertThat(java.util.Arrays.copyOfRange(b.quietLimit, perDay, 2 * perDay))
                .as("the second day learns from the first").isNotEqualTo(java.util.Arrays.copyOfRange(a.quietLimit, perDay, 2 * perDay));
    }
}
