package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * A fitted {@link HoltWinters}: the weights, the seed state and the state at the end of the
 * history. A context that extends the history is filtered from that end state; any other context
 * aligned to the history's grid is replayed from the seed.
 */
final class HoltWintersModel implements Forecaster.Model {

    private final Instant origin;
    private final Duration step;
    private final double[] history;
    private final DoubleSeasonalState initial;
    private final DoubleSeasonalState end;
    private final DoubleSeasonalState.Params params;
    private final ResidualQuantiles quantiles;

    HoltWintersModel(Series history, DoubleSeasonalState initial, DoubleSeasonalState.Params params,
            ResidualQuantiles quantiles) {
        this.origin = history.start();
        this.step = history.step();
        this.history = history.values().clone();
        this.initial = initial;
        this.params = params;
        this.quantiles = quantiles;
        this.end = initial.copy();
        for (double v : this.history) {
            end.observe(v, params);
        }
    }

    @Override
    public Forecast predict(Series context, int steps) {
        if (!context.step().equals(step)) {
            throw new ForecastException("context step " + context.step() + " differs from the fitted step " + step);
        }
        long offsetNanos = Duration.between(origin, context.start()).toNanos();
        if (offsetNanos % step.toNanos() != 0) {
            throw new ForecastException("context starts at " + context.start()
                    + ", off the fitted grid of " + step + " steps from " + origin);
        }
        double[] y = context.values();
        boolean extendsHistory = offsetNanos == 0 && y.length >= history.length
                && Arrays.equals(y, 0, history.length, history, 0, history.length);
        DoubleSeasonalState s = extendsHistory ? end.copy() : initial.copy();
        if (!extendsHistory) {
            s.skip(offsetNanos / step.toNanos());
        }
        for (int i = extendsHistory ? history.length : 0; i < y.length; i++) {
            s.observe(y[i], params);
        }
        double[] points = new double[steps];
        s.forecast(params, points);
        return quantiles.around(context.end(), step, points);
    }
}
