package io.dormouse.sim;

import java.util.Arrays;

/**
 * The expected-cost (ski-rental) rule learned from a VM's own quiet gaps: for each context (the
 * quarter of the day a gap starts in, and whether the busy run before it was one step or longer) the
 * quiet time after which hibernating is cheapest on the gaps seen so far, at a cost of one per cold
 * start and {@code c} per idle awake hour. A context's counts are blended with the VM's as a whole.
 */
final class QuietHazard {

    /** Contexts: four quarters of the day times a busy run of one step or longer. */
    static final int CONTEXTS = 8;
    /** The longest quiet time, in steps, kept awake through (two days): gaps longer count as this long. */
    static final int LONGEST = 2 * Trace.STEPS_PER_DAY;
    /** Weight, in gaps, of the VM's overall gap distribution in every context's: rare contexts follow it. */
    static final double PRIOR_GAPS = 8;

    private static final double STEP_HOURS = Trace.STEP.toMinutes() / 60.0;

    /** counts[ctx][g]: complete quiet gaps of g steps (capped at LONGEST + 1) seen in each context. */
    private final long[][] counts = new long[CONTEXTS][LONGEST + 2];

    void clear() {
        for (long[] c : counts) {
            Arrays.fill(c, 0);
        }
    }

    /** The context of a gap after a request at step {@code last} that ended a busy run of {@code busyRun} steps. */
    static int context(int last, int busyRun) {
        int quarter = Math.floorMod(last, Trace.STEPS_PER_DAY) * 4 / Trace.STEPS_PER_DAY;
        return quarter * 2 + (busyRun > 1 ? 1 : 0);
    }

    /** Counts a complete quiet gap of {@code quiet} steps (at least 1) in context {@code ctx}. */
    void observe(int ctx, int quiet) {
        if (quiet < 1) {
            throw new SimulationException("a quiet gap lasts at least one step, got " + quiet);
        }
        counts[ctx][Math.min(quiet, LONGEST + 1)]++;
    }

    /**
     * For each cost of {@code idleHourCosts} and each context, the quiet time in steps (1 to {@link #LONGEST})
     * to hibernate at, into {@code out[cost * CONTEXTS + ctx]}: the one minimising, summed over the gaps, the
     * cold starts (gaps at least that long) plus the cost times the idle awake hours (each gap's length or the
     * limit, the shorter). Ties go to the shorter. With no gap seen at all, every limit is 1 step.
     */
    void limits(double[] idleHourCosts, int[] out) {
        long[] all = new long[LONGEST + 2];
        for (long[] c : counts) {
            for (int g = 0; g < all.length; g++) {
                all[g] += c[g];
            }
        }
        long overall = Arrays.stream(all).sum();
        double weight = overall == 0 ? 0 : PRIOR_GAPS / overall;
        double[] survPrior = new double[LONGEST + 1];
        double[] idlePrior = new double[LONGEST + 1];
        curves(all, survPrior, idlePrior);
        double[] surv = new double[LONGEST + 1];
        double[] idle = new double[LONGEST + 1];
        for (int k = 0; k < CONTEXTS; k++) {
            curves(counts[k], surv, idle);
            for (int c = 0; c < idleHourCosts.length; c++) {
                double perStep = idleHourCosts[c] * STEP_HOURS;
                int best = 1;
                double bestCost = Double.POSITIVE_INFINITY;
                for (int d = 1; d <= LONGEST; d++) {
                    // hibernating at quiet time d: cold starts are the gaps longer than d - 1 steps
                    double v = perStep * (idle[d] + weight * idlePrior[d]) + surv[d - 1] + weight * survPrior[d - 1];
                    if (v < bestCost - 1e-9) {
                        bestCost = v;
                        best = d;
                    }
                }
                out[c * CONTEXTS + k] = best;
            }
        }
    }

    /**
     * surv[q]: the gaps longer than q quiet steps (still quiet, and awake under a longer limit, at quiet time q);
     * idle[d]: the quiet steps spent awake over all gaps when hibernating at quiet time d, the sum of surv below d.
     */
    private static void curves(long[] n, double[] surv, double[] idle) {
        long total = Arrays.stream(n).sum();
        long upTo = 0;
        idle[0] = 0;
        for (int q = 0; q <= LONGEST; q++) {
            upTo += n[q];
            surv[q] = total - upTo;
            if (q < LONGEST) {
                idle[q + 1] = idle[q] + surv[q];
            }
        }
    }
}
