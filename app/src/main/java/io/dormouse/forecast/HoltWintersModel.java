package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;

/**
 * A fitted {@link HoltWinters}: the seed state and weights. A prediction replays the context from
 * the seed (a few microseconds per thousand steps), so any context aligned to the history's grid works.
 */
final class HoltWintersModel implements Forecaster.Model {

    private final Instant origin;
    private final Duration step;
    private final DoubleSeasonalState initial;
    private final DoubleSeasonalState.Params params;
    private final ResidualQuantiles quantiles;

    HoltWintersModel(Series history, DoubleSeasonalState initial, DoubleSeasonalState.Params params,
            ResidualQuantiles quantiles) {
        this.origin = history.start();
        this.step = history.step();
        this.initial = initial;
        this.params = params;
        this.quantiles = quantiles;
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
        DoubleSeasonalState s = initial.copy();
        s.skip(offsetNanos / step.toNanos());
        for (double v : context.values()) {
            s.observe(v, params);
        }
        double[] points = new double[steps];
        s.forecast(params, points);
        return quantiles.around(context.end(), step, points);
    }
}
