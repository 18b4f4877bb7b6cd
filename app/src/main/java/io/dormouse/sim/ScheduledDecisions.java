package io.dormouse.sim;

import io.dormouse.schedule.Decider;
import io.dormouse.schedule.Demand;
import io.dormouse.schedule.SchedulePolicy;
import io.dormouse.schedule.Situation;
import io.dormouse.schedule.TransitionLog;
import java.time.Duration;
import java.time.Instant;

/**
 * The predictive policy as the live scheduler runs it: {@link Decider} at every step boundary with
 * the scheduler's default policy (minimum awake time, flap guard, hibernate-after span, wake lead)
 * and its thresholds set to the swept chance. Demand is expressed as the chance of a request in a
 * step: 1 or 0 for the steps observed, {@link ActivityOdds}'s estimate for the steps ahead.
 */
final class ScheduledDecisions {

    /** The expected restore time the decider leads by: the latency model's median, rounded up. */
    private final Duration restoreTime;
    private final long stepMs = Trace.STEP.toMillis();

    ScheduledDecisions(WakeLatency latency) {
        this.restoreTime = Duration.ofMillis((long) Math.ceil(latency.restoreP50()));
    }

    static SchedulePolicy policy(double threshold) {
        SchedulePolicy base = SchedulePolicy.DEFAULT;
        return base.withThresholds(threshold, base.hibernateAfter(), threshold);
    }

    void decide(SchedulePolicy policy, VmRun run, boolean[] awake) {
        int lookBack = (int) Math.max(1, policy.hibernateAfter().toMillis() / stepMs);
        TransitionLog transitions = new TransitionLog();
        boolean up = true;
        long since = Long.MIN_VALUE / 4;
        for (int t = run.from; t < run.steps; t++) {
            long now = t * stepMs;
            int back = Math.max(0, t - lookBack);
            Situation situation = new Situation(Instant.ofEpochMilli(now), up, Instant.ofEpochMilli(since),
                    transitions.lastHour(now), 0, new Demand(run.observed, back, t - back),
                    new Demand(run.ahead, t * Fitting.AHEAD, Math.min(Fitting.AHEAD, run.steps - t)), Trace.STEP, restoreTime);
            switch (Decider.decide(policy, situation)) {
                case io.dormouse.schedule.Decision.Hibernate h -> {
                    up = false;
                    since = now;
                    transitions.record(now);
                }
                case io.dormouse.schedule.Decision.WakeAhead w -> {
                    up = true;
                    since = now;
                    transitions.record(now);
                }
                case io.dormouse.schedule.Decision.Stay s -> {
                }
            }
            awake[t] = up;
            if (run.requests[t] > 0 && !up) {
                // the request wakes it (DNS or the front door), as the accounting counts
                up = true;
                since = now + (long) run.arrivalMs[t];
                transitions.record(since);
            }
        }
    }
}
