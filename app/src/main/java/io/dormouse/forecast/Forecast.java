package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Quantile forecast over a regular horizon: {@code values[q][t]} is the {@code levels[q]}
 * quantile of demand at {@code start + t * step}.
 */
public record Forecast(Instant start, Duration step, double[] levels, double[][] values) {

    /** The quantile levels every forecaster produces, in this order. */
    public static final double[] LEVELS = {0.5, 0.9, 0.99};

    public Forecast {
        if (values.length != levels.length) {
            throw new IllegalArgumentException(
                    "values has " + values.length + " rows, expected one per level (" + levels.length + ")");
        }
        levels = levels.clone();
        values = Arrays.stream(values).map(double[]::clone).toArray(double[][]::new);
    }

    public int steps() {
        return values.length == 0 ? 0 : values[0].length;
    }

    /** The forecast at quantile {@code level}, which must be one of {@link #levels()}. */
    public double[] quantile(double level) {
        for (int q = 0; q < levels.length; q++) {
            if (levels[q] == level) {
                return values[q].clone();
            }
        }
        throw new IllegalArgumentException("level " + level + " not in " + Arrays.toString(levels));
    }

    public Instant timeAt(int t) {
        return start.plus(step.multipliedBy(t));
    }
}
