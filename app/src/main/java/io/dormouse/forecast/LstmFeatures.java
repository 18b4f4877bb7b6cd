package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The per-step inputs of the {@link Lstm}: the previous step's scaled demand with a flag saying
 * whether it was observed (a NaN gap and every step after the forecast origin are masked the same
 * way: value 0, flag 0), time of day and day of week as points on a circle, and the calendar's
 * event flag and log load factor at the step being predicted.
 */
final class LstmFeatures {

    static final int INPUTS = 8;
    private static final int DEMAND = 0;
    private static final int OBSERVED = 1;
    private static final double DAY_SECONDS = 86_400;
    private static final double WEEK_SECONDS = 7 * DAY_SECONDS;
    private static final double SCALE_PERCENTILE = 0.95;

    private LstmFeatures() {
    }

    /**
     * The divisor that brings demand near [0, 1]: the 95th percentile of the observed absolute
     * values, robust to the rare spike that a maximum would follow, falling back to the maximum
     * for mostly-zero series and to 1 for all-zero ones.
     */
    static double scaleOf(double[] values) {
        double[] observed = Arrays.stream(values).filter(v -> !Double.isNaN(v)).map(Math::abs).sorted().toArray();
        if (observed.length == 0) {
            return 1.0;
        }
        double high = observed[(int) Math.floor(SCALE_PERCENTILE * (observed.length - 1))];
        double max = observed[observed.length - 1];
        return high > 0 ? high : (max > 0 ? max : 1.0);
    }

    /**
     * Writes into {@code x} (row-major, {@link #INPUTS} per row) the inputs of steps
     * {@code from .. from + count - 1} of a series of scaled demand starting at {@code start};
     * only steps before {@code observedEnd} count as observed.
     */
    static void encode(double[] scaled, int observedEnd, Instant start, Duration step, Calendar calendar,
            int from, int count, double[] x) {
        double startSeconds = start.getEpochSecond() + start.getNano() * 1e-9;
        double stepSeconds = step.toNanos() * 1e-9;
        for (int r = 0; r < count; r++) {
            int t = from + r;
            int row = r * INPUTS;
            int previous = t - 1;
            boolean observed = previous >= 0 && previous < observedEnd && !Double.isNaN(scaled[previous]);
            x[row + DEMAND] = observed ? scaled[previous] : 0.0;
            x[row + OBSERVED] = observed ? 1.0 : 0.0;
            double seconds = startSeconds + t * stepSeconds;
            double day = 2 * Math.PI * Math.floorMod((long) Math.floor(seconds), (long) DAY_SECONDS) / DAY_SECONDS;
            double week = 2 * Math.PI * Math.floorMod((long) Math.floor(seconds), (long) WEEK_SECONDS) / WEEK_SECONDS;
            x[row + 2] = Math.sin(day);
            x[row + 3] = Math.cos(day);
            x[row + 4] = Math.sin(week);
            x[row + 5] = Math.cos(week);
            Instant at = start.plus(step.multipliedBy(t));
            double load = calendar.loadFactor(at);
            if (!(load > 0) || Double.isInfinite(load)) {
                throw new ForecastException("calendar load factor at " + at + " must be positive and finite, got " + load);
            }
            x[row + 6] = calendar.eventAt(at) ? 1.0 : 0.0;
            x[row + 7] = Math.log(load);
        }
    }

    /** Hides the previous demand of row {@code row}, as for a step after the forecast origin. */
    static void maskDemand(double[] x, int row) {
        x[row * INPUTS + DEMAND] = 0.0;
        x[row * INPUTS + OBSERVED] = 0.0;
    }
}
