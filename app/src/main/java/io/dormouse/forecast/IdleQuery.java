package io.dormouse.forecast;

import java.time.Duration;

/**
 * The hibernation question a backtest scores: "will demand stay below {@code threshold} for at
 * least {@code minIdle} somewhere within the next {@code within}?". A forecast answers yes when its
 * {@code level} quantile stays below the threshold that long.
 */
public record IdleQuery(double threshold, Duration minIdle, Duration within, double level) {

    public IdleQuery {
        if (!Double.isFinite(threshold)) {
            throw new ForecastException("idle threshold must be a finite number, got " + threshold);
        }
        if (minIdle == null || minIdle.isNegative() || minIdle.isZero()) {
            throw new ForecastException("idle minIdle must be positive, got " + minIdle);
        }
        if (within == null || within.compareTo(minIdle) < 0) {
            throw new ForecastException("idle within (" + within + ") must be at least minIdle (" + minIdle + ")");
        }
        boolean known = false;
        for (double l : Forecast.LEVELS) {
            known |= l == level;
        }
        if (!known) {
            throw new ForecastException("idle level must be one of the forecast levels 0.5, 0.9, 0.99, got " + level);
        }
    }

    /** Idle below {@code threshold} for 30 minutes within 2 hours, judged on the 0.9 quantile. */
    public static IdleQuery below(double threshold) {
        return new IdleQuery(threshold, Duration.ofMinutes(30), Duration.ofHours(2), 0.9);
    }

    /**
     * A threshold relative to {@code history}: {@code fraction} of the way from its smallest value to
     * its 99th percentile, for series whose units say nothing about idleness (CPU %, request counts).
     */
    public static double relativeThreshold(Series history, double fraction) {
        double[] sorted = Quantiles.sortedFinite(history.values());
        if (sorted.length == 0) {
            throw new ForecastException("a relative threshold needs at least one value, the series of "
                    + history.size() + " steps has none");
        }
        return sorted[0] + fraction * (Quantiles.ofSorted(sorted, 0.99) - sorted[0]);
    }

    /** Whether {@code values} from {@code from} stay below the threshold for {@code run} steps within {@code window} steps; NaN breaks a run. */
    boolean idle(double[] values, int from, int run, int window) {
        int length = 0;
        for (int i = from; i < from + window && i < values.length; i++) {
            length = values[i] < threshold ? length + 1 : 0;
            if (length >= run) {
                return true;
            }
        }
        return false;
    }
}
