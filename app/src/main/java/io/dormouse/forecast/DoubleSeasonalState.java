package io.dormouse.forecast;

/**
 * The state of additive double-seasonal exponential smoothing with a first-order autoregressive
 * error correction (Taylor 2003, "Short-term electricity demand forecasting using double seasonal
 * exponential smoothing", J. Operational Research Society 54): level, trend, a daily and a weekly
 * seasonal index per step, and the last one-step error.
 */
final class DoubleSeasonalState {

    /** Smoothing weights: level α, trend γ, daily δ, weekly ω, and the error autocorrelation φ. */
    record Params(double alpha, double gamma, double delta, double omega, double phi) {
    }

    private double level;
    private double trend;
    private double lastError;
    private final double[] daily;
    private final double[] weekly;
    private int dayIndex;
    private int weekIndex;

    private DoubleSeasonalState(double level, double[] daily, double[] weekly) {
        this.level = level;
        this.daily = daily;
        this.weekly = weekly;
    }

    /**
     * Seeds the state from the first week of {@code y} (the first day when {@code weekLength} is 0):
     * the level is its mean, each seasonal index the mean deviation at its position. Seeding from
     * one cycle only keeps later changes (a level shift) out of the seasonal indices.
     */
    static DoubleSeasonalState initial(double[] y, int dayLength, int weekLength) {
        int seedLength = Math.min(y.length, weekLength > 0 ? weekLength : dayLength);
        double level = mean(y, 0, seedLength, 1);
        double[] daily = new double[dayLength];
        for (int i = 0; i < dayLength; i++) {
            daily[i] = orZero(mean(y, i, seedLength, dayLength) - level);
        }
        double[] weekly = new double[weekLength];
        for (int i = 0; i < weekLength; i++) {
            weekly[i] = orZero(mean(y, i, seedLength, weekLength) - level - daily[i % dayLength]);
        }
        return new DoubleSeasonalState(orZero(level), daily, weekly);
    }

    DoubleSeasonalState copy() {
        DoubleSeasonalState c = new DoubleSeasonalState(level, daily.clone(), weekly.clone());
        c.trend = trend;
        c.lastError = lastError;
        c.dayIndex = dayIndex;
        c.weekIndex = weekIndex;
        return c;
    }

    /** Moves the seasonal position {@code steps} ahead without observing (a later start). */
    void skip(long steps) {
        dayIndex = (int) Math.floorMod(dayIndex + steps, (long) daily.length);
        if (weekly.length > 0) {
            weekIndex = (int) Math.floorMod(weekIndex + steps, (long) weekly.length);
        }
    }

    /**
     * Observes {@code y} (NaN: missing, replaced by the forecast) and returns the one-step error
     * (actual minus forecast), NaN for a missing step.
     */
    double observe(double y, Params p) {
        double d = daily[dayIndex];
        double w = weekly.length > 0 ? weekly[weekIndex] : 0;
        double plain = level + trend + d + w;
        double forecast = plain + p.phi() * lastError;
        boolean missing = Double.isNaN(y);
        double actual = missing ? forecast : y;
        double newLevel = p.alpha() * (actual - d - w) + (1 - p.alpha()) * (level + trend);
        trend = p.gamma() * (newLevel - level) + (1 - p.gamma()) * trend;
        daily[dayIndex] = p.delta() * (actual - newLevel - w) + (1 - p.delta()) * d;
        if (weekly.length > 0) {
            weekly[weekIndex] = p.omega() * (actual - newLevel - d) + (1 - p.omega()) * w;
            weekIndex = weekIndex + 1 == weekly.length ? 0 : weekIndex + 1;
        }
        dayIndex = dayIndex + 1 == daily.length ? 0 : dayIndex + 1;
        level = newLevel;
        lastError = actual - plain;
        return missing ? Double.NaN : y - forecast;
    }

    /** Fills {@code out[k - 1]} with the point forecast {@code k} steps ahead of the last observation. */
    void forecast(Params p, double[] out) {
        double correction = lastError;
        int d = dayIndex;
        int w = weekIndex;
        for (int k = 1; k <= out.length; k++) {
            correction *= p.phi();
            out[k - 1] = level + k * trend + daily[d] + (weekly.length > 0 ? weekly[w] : 0) + correction;
            d = d + 1 == daily.length ? 0 : d + 1;
            w = w + 1 >= weekly.length ? 0 : w + 1;
        }
    }

    private static double mean(double[] y, int from, int to, int stride) {
        double sum = 0;
        int n = 0;
        for (int i = from; i < to; i += stride) {
            if (!Double.isNaN(y[i])) {
                sum += y[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
