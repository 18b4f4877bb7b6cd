package io.dormouse.schedule;

import java.time.Duration;
import java.time.Instant;

/**
 * Plays one VM's demand history through the {@link Decider} under one policy, one decision per step,
 * and counts what it would have cost. A step's demand above {@code activeAbove} is a request: one that
 * finds the VM asleep, or not yet restored, is a cold start (once per wake), and wakes it; a step awake
 * without one is idle awake time. Restoring takes {@code restoreTime}; hibernating is taken as instant.
 */
public final class Replay {

    /** What a policy would have done over a history. */
    public record Outcome(int coldStarts, double idleAwakeHours, double awakeHours, int hibernations, int wakesAhead,
                          int flapGuardStays) {

        /** Cold starts times {@code penalty} plus idle awake hours times {@code hourCost}. */
        public double cost(double coldStartPenalty, double idleAwakeHourCost) {
            return coldStarts * coldStartPenalty + idleAwakeHours * idleAwakeHourCost;
        }
    }

    private Replay() {
    }

    /**
     * Replays {@code demand} (step {@code step}, the first step at {@code start}) with the VM awake at the
     * start; decisions start at step {@code warmup}, once there is history to look back on.
     */
    public static Outcome run(SchedulePolicy policy, double[] demand, Instant start, Duration step, Foresight foresight,
                              Duration restoreTime, double activeAbove, int warmup) {
        long stepMillis = step.toMillis();
        long restoreMillis = restoreTime.toMillis();
        int lookBack = Decider.steps(policy.hibernateAfter().toMillis(), stepMillis);
        long lead = restoreMillis + policy.wakeMargin().toMillis() + stepMillis;
        int ahead = Decider.steps(Math.max(policy.hibernateAfter().toMillis(), lead), stepMillis) + 1;
        TransitionLog transitions = new TransitionLog();
        boolean awake = true;
        long since = start.toEpochMilli() - policy.minimumAwake().toMillis();
        long readyAt = Long.MIN_VALUE;
        boolean coldThisWake = false;
        int coldStarts = 0;
        int hibernations = 0;
        int wakesAhead = 0;
        int flapStays = 0;
        long awakeSteps = 0;
        long idleSteps = 0;
        for (int t = 0; t < demand.length; t++) {
            long now = start.toEpochMilli() + t * stepMillis;
            boolean restoring = awake && readyAt > now;
            if (t >= warmup && !restoring) {
                int from = Math.max(0, t - lookBack);
                Situation situation = new Situation(Instant.ofEpochMilli(now), awake, Instant.ofEpochMilli(since),
                        transitions.lastHour(now), 0, new Demand(demand, from, t - from), foresight.from(t, ahead), step,
                        restoreTime);
                switch (Decider.decide(policy, situation)) {
                    case Decision.Hibernate h -> {
                        awake = false;
                        since = now;
                        transitions.record(now);
                        hibernations++;
                    }
                    case Decision.WakeAhead w -> {
                        awake = true;
                        readyAt = now + restoreMillis;
                        since = readyAt;
                        coldThisWake = false;
                        transitions.record(now);
                        wakesAhead++;
                    }
                    case Decision.Stay s when s.why() == Decision.Why.FLAP_GUARD -> flapStays++;
                    case Decision.Stay s -> {
                    }
                }
            }
            boolean active = demand[t] > activeAbove;
            if (active && !awake) {
                coldStarts++;
                awake = true;
                readyAt = now + restoreMillis;
                since = readyAt;
                coldThisWake = true;
                transitions.record(now);
            } else if (active && readyAt > now && !coldThisWake) {
                coldStarts++;
                coldThisWake = true;
            }
            if (awake) {
                awakeSteps++;
                if (!active) {
                    idleSteps++;
                }
            }
        }
        double hoursPerStep = stepMillis / 3_600_000.0;
        return new Outcome(coldStarts, idleSteps * hoursPerStep, awakeSteps * hoursPerStep, hibernations, wakesAhead,
                flapStays);
    }
}
