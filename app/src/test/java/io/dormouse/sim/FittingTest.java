package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FittingTest {

    /** A week of history and a day scored, with a request every {@code every} steps. */
    private static VmRun periodic(int every) {
        VmRun run = new VmRun(2016 + 288, 2016);
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
}
