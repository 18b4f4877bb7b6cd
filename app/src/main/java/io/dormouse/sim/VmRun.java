package io.dormouse.sim;

import java.util.SplittableRandom;

/**
 * One VM's replay, as buffers a worker thread reuses from VM to VM: its requests per step, what its
 * models learned from the history, and the random draws every policy sees alike (arrival of the
 * step's first request, restore and hibernate times), so that policies differ only by their decisions.
 */
final class VmRun {

    final int steps;
    final int from;
    final int[] requests;
    final double[] demand;
    /** Arrival of each step's first request, in milliseconds after the step starts. */
    final float[] arrivalMs;
    final float[] restoreMs;
    final float[] hibernateMs;
    /** The idle timeout, in steps, tuning chose for each of {@link Family#TUNED_COSTS}. */
    final int[] tunedTimeout = new int[Family.TUNED_COSTS.length];
    /** Hybrid histogram windows per scored day, in minutes: pre-warm and keep-alive. */
    final double[] prewarmMinutes;
    final double[] keepAliveMinutes;
    /**
     * The predictive policy's signal: at step {@code t}, {@code ahead[t * Fitting.AHEAD + j]} is the chance
     * of a request at step {@code t + j} as known at the boundary of {@code t} (requests before {@code t}).
     */
    final double[] ahead;
    /** Observed demand as the scheduler sees it in the predictive policy's units: 1 for a step with a request, else 0. */
    final double[] observed;
    /** What the forecast says of each step: 0 quiet, 1 a request possible (0.9 quantile), 2 likely (median). */
    final byte[] forecastClass;
    /** How busy each step's hour of day was on earlier days, in classes (see {@link Fitting}). */
    final byte[] hourClass;
    /**
     * The expected-cost rule's quiet time to hibernate at, in steps, at
     * {@code [(day * EXPECTED_COSTS.length + cost) * CONTEXTS + context]}, from the gaps before that scored day.
     */
    final int[] quietLimit;
    int vm;

    VmRun(int steps, int from) {
        this.steps = steps;
        this.from = from;
        requests = new int[steps];
        demand = new double[steps];
        arrivalMs = new float[steps];
        restoreMs = new float[steps];
        hibernateMs = new float[steps];
        int days = (steps - from + Trace.STEPS_PER_DAY - 1) / Trace.STEPS_PER_DAY;
        prewarmMinutes = new double[days];
        keepAliveMinutes = new double[days];
        ahead = new double[steps * Fitting.AHEAD];
        observed = new double[steps];
        forecastClass = new byte[steps];
        hourClass = new byte[steps];
        quietLimit = new int[days * Family.EXPECTED_COSTS.length * QuietHazard.CONTEXTS];
    }

    /** Loads {@code vm}'s demand and draws its random numbers. */
    void load(SimulatedFleet fleet, SimulatedVm vm, long seed, WakeLatency latency) {
        this.vm = vm.index();
        fleet.requests(vm, requests);
        for (int t = 0; t < steps; t++) {
            demand[t] = requests[t];
            observed[t] = requests[t] > 0 ? 1 : 0;
        }
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, vm.index(), 1));
        double stepMs = Trace.STEP.toMillis();
        for (int t = from; t < steps; t++) {
            arrivalMs[t] = (float) (random.nextDouble() * stepMs);
            restoreMs[t] = (float) latency.restore(random.nextGaussian());
            hibernateMs[t] = (float) latency.hibernate(random.nextGaussian());
        }
    }

    /** The scored day step {@code t} falls in. */
    int day(int t) {
        return (t - from) / Trace.STEPS_PER_DAY;
    }

    /** The last step before {@code t} with a request, or a large negative number if none. */
    int lastActiveBefore(int t) {
        for (int i = t - 1; i >= 0; i--) {
            if (requests[i] > 0) {
                return i;
            }
        }
        return Integer.MIN_VALUE / 2;
    }
}
