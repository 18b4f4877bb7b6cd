package io.dormouse.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.schedule.AlwaysOnWindows;
import io.dormouse.schedule.Decider;
import io.dormouse.schedule.Decision;
import io.dormouse.schedule.Demand;
import io.dormouse.schedule.SchedulePolicy;
import io.dormouse.schedule.Situation;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The simulator keeps its own copy of the expected-cost rule ({@link QuietHazard}, fitted once a day for speed);
 * the live scheduler's {@link Decider} recounts the gaps at every decision. Given the same gaps, both must
 * hibernate at the same quiet time, or the simulator's figures say nothing of the scheduler.
 */
class ExpectedCostRuleTest {

    private static final long STEP = Trace.STEP.toMillis();

    @Test
    void theSimulatorsRuleHibernatesWhereTheLiveDecidersDoes() {
        int compared = 0;
        int hibernations = 0;
        for (long seed = 1; seed <= 6; seed++) {
            double[] requests = bursts(new Random(seed), 4 * Trace.STEPS_PER_DAY);
            for (double idleHourCost : new double[] {0.5, 1, 3, 12}) {
                SchedulePolicy policy = new SchedulePolicy(SchedulePolicy.Kind.EXPECTED_COST, 0.5,
                        Duration.ofMillis((long) (3_600_000 / idleHourCost)), 1.0, Duration.ZERO, Duration.ZERO,
                        1_000, AlwaysOnWindows.NONE, false);
                QuietHazard hazard = new QuietHazard();
                int[] limits = new int[QuietHazard.CONTEXTS];
                int last = -1;
                int busyRun = 0;
                int gaps = 0;
                for (int t = 0; t < requests.length; t++) {
                    // the decision at the boundary before step t sees steps 0 to t - 1
                    if (gaps > 0 && t - 1 > last) {
                        hazard.limits(new double[] {idleHourCost}, limits);
                        int quiet = t - 1 - last;
                        boolean simulated = quiet >= limits[QuietHazard.context(last, busyRun)];
                        Decision live = Decider.decide(policy, new Situation(Instant.ofEpochMilli(t * STEP), true,
                                Instant.EPOCH, 0, 0, new Demand(requests, 0, t), new Demand(new double[0], 0, 0),
                                Trace.STEP, Duration.ofMillis(300)));
                        assertThat(live instanceof Decision.Hibernate).as("seed %d, cost %s, step %d, quiet %d",
                                seed, idleHourCost, t, quiet).isEqualTo(simulated);
                        compared++;
                        hibernations += simulated ? 1 : 0;
                    }
                    if (requests[t] > 0) {
                        int quiet = t - 1 - last;
                        if (last >= 0 && quiet > 0) {
                            hazard.observe(QuietHazard.context(last, busyRun), quiet);
                            gaps++;
                        }
                        busyRun = last >= 0 && quiet == 0 ? busyRun + 1 : 1;
                        last = t;
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(10_000);
        assertThat(hibernations).as("both rules hibernate somewhere, and stay elsewhere").isBetween(100, compared - 100);
    }

    /** Busy runs of 1 to 6 steps between quiet gaps whose length depends on the time of day. */
    private static double[] bursts(Random random, int steps) {
        double[] requests = new double[steps];
        int t = 0;
        while (t < steps) {
            int run = 1 + random.nextInt(6);
            for (int i = 0; i < run && t < steps; i++, t++) {
                requests[t] = 1;
            }
            boolean night = (t % Trace.STEPS_PER_DAY) < Trace.STEPS_PER_DAY / 4;
            t += night ? 6 + random.nextInt(60) : 1 + (int) (random.nextExponential() * 5);
        }
        return requests;
    }
}
