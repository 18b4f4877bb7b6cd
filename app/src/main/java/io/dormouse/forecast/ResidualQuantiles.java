package io.dormouse.forecast;

import java.time.Instant;
import java.time.Duration;
import java.util.Arrays;

/**
 * Quantile offsets per horizon taken from a model's own in-sample errors: the forecast at level
 * {@code q} is the point forecast plus the {@code q} quantile of the errors seen at that horizon.
 * Upper offsets never shrink with the horizon; past the last measured horizon the last one holds.
 */
final class ResidualQuantiles {

    private final double[][] offsets;
    private final boolean nonNegative;

    private ResidualQuantiles(double[][] offsets, boolean nonNegative) {
        this.offsets = offsets;
        this.nonNegative = nonNegative;
    }

    /**
     * @param errorsByHorizon {@code errorsByHorizon[h]}: errors (actual minus point) at horizon {@code h + 1}
     * @param nonNegative whether demand cannot be negative, so that quantiles are clamped at zero
     */
    static ResidualQuantiles of(double[][] errorsByHorizon, boolean nonNegative) {
        double[][] offsets = new double[errorsByHorizon.length][Forecast.LEVELS.length];
        for (int h = 0; h < errorsByHorizon.length; h++) {
            double[] sorted = Quantiles.sortedFinite(errorsByHorizon[h]);
            if (sorted.length == 0) {
                offsets[h] = h == 0 ? new double[Forecast.LEVELS.length] : offsets[h - 1].clone();
                continue;
            }
            for (int q = 0; q < Forecast.LEVELS.length; q++) {
                offsets[h][q] = Quantiles.ofSorted(sorted, Forecast.LEVELS[q]);
                if (h > 0 && Forecast.LEVELS[q] > 0.5) {
                    offsets[h][q] = Math.max(offsets[h][q], offsets[h - 1][q]);
                }
            }
        }
        return new ResidualQuantiles(offsets, nonNegative);
    }

    /** Whether every finite value of {@code s} is at least zero. */
    static boolean nonNegative(Series s) {
        return Arrays.stream(s.values()).filter(Double::isFinite).allMatch(v -> v >= 0);
    }

    double offset(int horizon, int level) {
        return offsets[Math.min(horizon, offsets.length) - 1][level];
    }

    /** The forecast made of {@code points[t]} (horizon {@code t + 1}) plus the offsets. */
    Forecast around(Instant start, Duration step, double[] points) {
        double[][] values = new double[Forecast.LEVELS.length][points.length];
        for (int q = 0; q < values.length; q++) {
            for (int t = 0; t < points.length; t++) {
                double v = points[t] + offset(t + 1, q);
                values[q][t] = nonNegative ? Math.max(0, v) : v;
            }
        }
        return new Forecast(start, step, Forecast.LEVELS, values);
    }
}
