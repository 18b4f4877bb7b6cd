package io.dormouse.forecast;

import java.time.Duration;
import java.util.Arrays;

/**
 * The hybrid histogram policy of Shahrad et al., "Serverless in the Wild: Characterizing and
 * Optimizing the Serverless Workload at a Large Cloud Provider", USENIX ATC 2020: learn the
 * distribution of idle times and keep the VM warm only around the likely next activity. When the
 * histogram is not representative (too few idle times, too many beyond its range, or bin counts too
 * even), it falls back to a time-series forecast, as the paper falls back to ARIMA.
 */
public final class HybridHistogram implements Forecaster {

    /** Defaults from the paper: a 4-hour range of 1-minute bins, representative when the CV exceeds 2. */
    public static final Duration RANGE = Duration.ofHours(4);
    public static final double MIN_VARIATION = 2.0;
    public static final int MIN_IDLE_TIMES = 10;
    public static final double MAX_OUT_OF_RANGE_SHARE = 0.5;
    /** A relative threshold: active above this fraction of the way from the minimum to the 99th percentile. */
    public static final double RELATIVE_THRESHOLD = 0.1;
    /** Above this share of active steps the forecast is the fallback's: see {@link #fit}. */
    public static final double MAX_ACTIVE_SHARE = 0.5;

    private final double threshold;
    private final Forecaster fallback;

    private HybridHistogram(double threshold, Forecaster fallback) {
        this.threshold = threshold;
        this.fallback = fallback;
    }

    /** Activity is relative to each history (see {@link #RELATIVE_THRESHOLD}); falls back to Holt-Winters. */
    public static HybridHistogram create() {
        return new HybridHistogram(Double.NaN, HoltWinters.create());
    }

    /** Activity means a value above {@code activityThreshold}. */
    public static HybridHistogram withThreshold(double activityThreshold) {
        if (!Double.isFinite(activityThreshold)) {
            throw new ForecastException("activity threshold must be a finite number, got " + activityThreshold);
        }
        return new HybridHistogram(activityThreshold, HoltWinters.create());
    }

    /** The same policy forecasting with {@code other} when the histogram is not representative. */
    public HybridHistogram withFallback(Forecaster other) {
        return new HybridHistogram(threshold, other);
    }

    @Override
    public String name() {
        return "hybrid-histogram";
    }

    /** The windows for {@code history}; the fixed fallback when its histogram is not representative. */
    public IdleWindows windows(Series history) {
        return windows(history, thresholdFor(history));
    }

    private static IdleWindows windows(Series history, double threshold) {
        IdleHistogram histogram = IdleHistogram.of(history, threshold, RANGE);
        boolean representative = histogram.idleTimes() >= MIN_IDLE_TIMES
                && histogram.outOfRangeShare() <= MAX_OUT_OF_RANGE_SHARE
                && histogram.binCountVariation() > MIN_VARIATION;
        return representative ? histogram.windows() : new IdleWindows(Duration.ZERO, RANGE, false);
    }

    /**
     * Forecasts from the windows when the histogram is representative and the VM is idle most of the
     * time; otherwise (no idle pattern, or a VM busy more often than not, whose level is a time
     * series rather than a typical level of activity) with the fallback model.
     */
    @Override
    public Model fit(Series history, Calendar calendar) {
        return EventEffects.fit(history, calendar, plain -> {
            double threshold = thresholdFor(plain);
            IdleWindows windows = windows(plain, threshold);
            return windows.representative() && activeShare(plain, threshold) <= MAX_ACTIVE_SHARE
                    ? WindowModel.fit(plain, windows, threshold)
                    : fallback.fit(plain, Calendar.EMPTY);
        });
    }

    private static double activeShare(Series s, double threshold) {
        double[] values = Quantiles.sortedFinite(s.values());
        return values.length == 0 ? 0 : (double) Arrays.stream(values).filter(v -> v > threshold).count() / values.length;
    }

    private double thresholdFor(Series history) {
        return Double.isNaN(threshold) ? IdleQuery.relativeThreshold(history, RELATIVE_THRESHOLD) : threshold;
    }
}
