package io.dormouse.forecast;

import java.time.Duration;
import java.util.Arrays;

/**
 * Double-seasonal Holt-Winters (daily and weekly cycles, additive, with an autoregressive
 * correction of the one-step error), after Taylor 2003, "Short-term electricity demand forecasting
 * using double seasonal exponential smoothing", J. Operational Research Society 54(8):799-805.
 * The five weights are fitted by Nelder-Mead on the one-step squared error; quantiles come from the
 * model's in-sample errors at each horizon up to a day. Histories shorter than eight days fit the
 * daily cycle only.
 */
public final class HoltWinters implements Forecaster {

    /** Bounds of α, γ, δ, ω, φ: the trend weight stays small so that noise is not extrapolated. */
    private static final double[] LOWER = {0, 0, 0, 0, 0};
    private static final double[] UPPER = {1, 0.2, 1, 1, 0.98};
    private static final double[] START = {0.1, 0.01, 0.1, 0.1, 0.5};
    /** Upper bound on in-sample multi-step forecasts computed for the quantiles. */
    private static final int ERROR_BUDGET = 100_000;

    private final NelderMead optimizer = new NelderMead(600, 1e-7);

    private HoltWinters() {
    }

    public static HoltWinters create() {
        return new HoltWinters();
    }

    @Override
    public String name() {
        return "holt-winters";
    }

    @Override
    public Model fit(Series history, Calendar calendar) {
        return EventEffects.fit(history, calendar, this::fitPlain);
    }

    private Model fitPlain(Series history) {
        int day = history.stepsPer(Duration.ofDays(1));
        int week = history.stepsPer(Duration.ofDays(7));
        if (history.size() < 2 * day) {
            throw new ForecastException(name() + " needs at least 2 days of history (" + 2 * day + " steps of "
                    + history.step() + "), got " + history.size());
        }
        double[] y = history.values();
        if (Arrays.stream(y).filter(Double::isFinite).count() < day) {
            throw new ForecastException(name() + " needs at least a day's worth of values, got "
                    + Arrays.stream(y).filter(Double::isFinite).count() + " of " + y.length + " steps");
        }
        boolean weekly = history.size() >= week + day;
        DoubleSeasonalState initial = DoubleSeasonalState.initial(y, day, weekly ? week : 0);
        NelderMead.Result best = optimizer.minimize(x -> squaredError(initial, y, params(x)), logits(START), 1.0);
        DoubleSeasonalState.Params params = params(best.point());
        ResidualQuantiles quantiles = errorQuantiles(initial, y, params, day, ResidualQuantiles.nonNegative(history));
        return new HoltWintersModel(history, initial, params, quantiles);
    }

    private static double squaredError(DoubleSeasonalState initial, double[] y, DoubleSeasonalState.Params p) {
        DoubleSeasonalState s = initial.copy();
        double sum = 0;
        for (double v : y) {
            double e = s.observe(v, p);
            if (!Double.isNaN(e)) {
                sum += e * e;
            }
        }
        return sum;
    }

    /** In-sample errors at horizons 1 to a day, from origins spaced to stay within the budget. */
    private static ResidualQuantiles errorQuantiles(DoubleSeasonalState initial, double[] y,
            DoubleSeasonalState.Params p, int day, boolean nonNegative) {
        int horizons = day;
        int warmUp = Math.min(day, y.length / 4);
        int stride = Math.max(1, (int) ((long) y.length * horizons / ERROR_BUDGET));
        int origins = (y.length - warmUp + stride - 1) / stride;
        double[][] errors = new double[horizons][origins];
        for (double[] row : errors) {
            Arrays.fill(row, Double.NaN);
        }
        DoubleSeasonalState s = initial.copy();
        double[] points = new double[horizons];
        for (int t = 0; t < y.length; t++) {
            if (t >= warmUp && (t - warmUp) % stride == 0) {
                int origin = (t - warmUp) / stride;
                s.forecast(p, points);
                for (int k = 1; k <= horizons && t + k - 1 < y.length; k++) {
                    errors[k - 1][origin] = y[t + k - 1] - points[k - 1];
                }
            }
            s.observe(y[t], p);
        }
        return ResidualQuantiles.of(errors, nonNegative);
    }

    private static DoubleSeasonalState.Params params(double[] x) {
        double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            v[i] = LOWER[i] + (UPPER[i] - LOWER[i]) / (1 + Math.exp(-x[i]));
        }
        return new DoubleSeasonalState.Params(v[0], v[1], v[2], v[3], v[4]);
    }

    private static double[] logits(double[] v) {
        double[] x = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double u = (v[i] - LOWER[i]) / (UPPER[i] - LOWER[i]);
            x[i] = Math.log(u / (1 - u));
        }
        return x;
    }
}
