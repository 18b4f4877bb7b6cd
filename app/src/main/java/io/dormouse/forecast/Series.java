package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A regular time series: {@code values[i]} is demand at {@code start + i * step}; a missing
 * step is {@code NaN}, marked, never silently shifted.
 */
public record Series(Instant start, Duration step, double[] values) {

    public Series {
        if (step.isZero() || step.isNegative()) {
            throw new ForecastException("series step must be positive, got " + step);
        }
        values = values.clone();
    }

    public int size() {
        return values.length;
    }

    public double at(int i) {
        return values[i];
    }

    public Instant timeAt(int i) {
        return start.plus(step.multipliedBy(i));
    }

    /** The instant just after the last step: the origin of a forecast from this series. */
    public Instant end() {
        return timeAt(values.length);
    }

    /** The first {@code n} steps. */
    public Series head(int n) {
        return new Series(start, step, java.util.Arrays.copyOf(values, n));
    }

    /**
     * Aligns irregular {@code samples} (in time order, finite values) to a grid of {@code step}: the
     * samples inside one step are combined by {@code aggregation}, steps without a sample are handled
     * by {@code gaps}. The grid starts at the first sample's time rounded down to a whole number of
     * steps since the epoch.
     *
     * @throws ForecastException for no samples, a non-finite value or samples out of order (naming the
     *     sample's index and time), or a gap under {@link GapPolicy.Refuse} (naming the first gap)
     */
    public static Series fromSamples(List<Sample> samples, Duration step, Aggregation aggregation, GapPolicy gaps) {
        return SeriesGrid.align(samples, step, aggregation, gaps);
    }

    /** The most frequent interval between consecutive samples: the natural step of a trace. */
    public static Duration typicalStep(List<Sample> samples) {
        return SeriesGrid.typicalStep(samples);
    }

    /** Steps per {@code period}, which must be a whole multiple of the step. */
    public int stepsPer(Duration period) {
        if (period.toNanos() % step.toNanos() != 0) {
            throw new ForecastException("period " + period + " is not a whole number of " + step + " steps");
        }
        return (int) (period.toNanos() / step.toNanos());
    }
}
