package io.dormouse.sim;

/**
 * Each policy's decision at every step boundary of the scored part: {@code awake[t]} says whether the
 * VM is kept (or made) awake for step {@code t}, decided from the requests before {@code t} only,
 * except for the oracle, which sees them all. The predictive policy is decided by the scheduler's own
 * decider ({@link ScheduledDecisions}); the baselines are their published rules, one comparison a step.
 */
final class Decisions {

    private static final double STEP_MINUTES = Trace.STEP.toMinutes();

    private Decisions() {
    }

    static void decide(Policy policy, VmRun run, boolean[] awake, ScheduledDecisions scheduler) {
        switch (policy) {
            case Policy.AlwaysOn a -> java.util.Arrays.fill(awake, run.from, run.steps, true);
            case Policy.IdleTimeout t -> idleTimeout(run, (int) (t.timeout().toMinutes() / STEP_MINUTES), awake);
            case Policy.TunedTimeout t -> idleTimeout(run, run.tunedTimeout[tunedIndex(t)], awake);
            case Policy.HybridHistogram h -> hybrid(run, h.keepAliveScale(), awake);
            case Policy.Predictive p -> scheduler.decide(ScheduledDecisions.policy(p.threshold()), run, awake);
            case Policy.ExpectedCost e -> expectedCost(run, costIndex(e), awake);
            case Policy.Oracle o -> oracle(run, (int) Math.max(1, o.minGap().toMinutes() / STEP_MINUTES), awake);
        }
    }

    private static int tunedIndex(Policy.TunedTimeout t) {
        for (int i = 0; i < Family.TUNED_COSTS.length; i++) {
            if (Family.TUNED_COSTS[i] == t.idleHourCost()) {
                return i;
            }
        }
        throw new SimulationException("tuned timeout cost " + t.idleHourCost() + " is not one the fleet was tuned for");
    }

    private static int costIndex(Policy.ExpectedCost e) {
        for (int i = 0; i < Family.EXPECTED_COSTS.length; i++) {
            if (Family.EXPECTED_COSTS[i] == e.idleHourCost()) {
                return i;
            }
        }
        throw new SimulationException("expected-cost " + e.idleHourCost() + " is not one the fleet was fitted for");
    }

    /**
     * Awake while the quiet time is shorter than the limit for the context the gap started in, from the
     * day of the gap's first scored step: a new day's limit does not wake a VM in the middle of a gap.
     */
    static void expectedCost(VmRun run, int cost, boolean[] awake) {
        int last = Integer.MIN_VALUE / 2;
        int busyRun = 0;
        int perDay = Family.EXPECTED_COSTS.length * QuietHazard.CONTEXTS;
        int limit = -1;
        for (int t = 0; t < run.steps; t++) {
            if (t >= run.from) {
                if (limit < 0) {
                    limit = run.quietLimit[run.day(t) * perDay + cost * QuietHazard.CONTEXTS + QuietHazard.context(last, busyRun)];
                }
                awake[t] = t - 1 - last < limit;
            }
            if (run.requests[t] > 0) {
                busyRun = last == t - 1 ? busyRun + 1 : 1;
                last = t;
                limit = -1;
            }
        }
    }

    /** Awake while fewer than {@code timeout} quiet steps have passed since the last request. */
    private static void idleTimeout(VmRun run, int timeout, boolean[] awake) {
        int last = run.lastActiveBefore(run.from);
        for (int t = run.from; t < run.steps; t++) {
            awake[t] = t - 1 - last < timeout;
            if (run.requests[t] > 0) {
                last = t;
            }
        }
    }

    /** Awake when the idle time so far lies inside the day's window [pre-warm, pre-warm + scaled keep-alive]. */
    private static void hybrid(VmRun run, double scale, boolean[] awake) {
        int last = run.lastActiveBefore(run.from);
        for (int t = run.from; t < run.steps; t++) {
            int day = run.day(t);
            double idle = (t - 1 - last) * STEP_MINUTES;
            double prewarm = run.prewarmMinutes[day];
            awake[t] = idle >= prewarm && idle <= prewarm + run.keepAliveMinutes[day] * scale;
            if (run.requests[t] > 0) {
                last = t;
            }
        }
    }

    /** Awake on every step with requests and through quiet gaps shorter than {@code minGap} steps between them. */
    private static void oracle(VmRun run, int minGap, boolean[] awake) {
        int last = run.lastActiveBefore(run.from);
        int t = run.from;
        while (t < run.steps) {
            if (run.requests[t] > 0) {
                awake[t] = true;
                last = t++;
                continue;
            }
            int next = t;
            while (next < run.steps && run.requests[next] == 0) {
                next++;
            }
            boolean bridge = next < run.steps && last >= 0 && next - last - 1 < minGap;
            for (int i = t; i < next; i++) {
                awake[i] = bridge;
            }
            t = next;
        }
    }
}
