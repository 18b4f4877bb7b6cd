package io.dormouse.forecast;

import java.time.Duration;

/**
 * A fitted {@link Lstm}. It forecasts directly through the recurrent state: the state is warmed
 * up on the last window of the context, then every step after the origin is fed its time and
 * calendar inputs with the demand input masked, exactly as in training, and the head's output
 * at that step is its quantiles, measured from the recent level at the origin.
 *
 * <p>Chosen over feeding the median back autoregressively because a fed-back median is a smooth
 * path the network never saw in training, and its quantiles would be one-step-ahead spreads,
 * too narrow further out; masked horizons in training teach the spread at each horizon and
 * handle NaN gaps with the same mechanism. Steps beyond the trained horizon are still given,
 * but the network was never scored on them.
 */
final class LstmModel implements Forecaster.Model {

    private final LstmNetwork network;
    private final LstmFeatures features;
    private final double[] parameters;
    private final int window;
    private final Duration step;
    private final double scale;
    private final boolean nonNegative;

    LstmModel(LstmNetwork network, LstmFeatures features, double[] parameters, int window, Duration step,
            double scale, boolean nonNegative) {
        this.network = network;
        this.features = features;
        this.parameters = parameters.clone();
        this.window = window;
        this.step = step;
        this.scale = scale;
        this.nonNegative = nonNegative;
    }

    /**
     * @throws ForecastException when the context's step differs from the history's, or a value the
     *                           forecast reads is infinite
     */
    @Override
    public Forecast predict(Series context, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if (!context.step().equals(step)) {
            throw new ForecastException("context step " + context.step() + " differs from the step "
                    + step + " the lstm was fitted on");
        }
        int n = context.size();
        int warmUp = Math.min(window, n);
        int from = n - warmUp;
        int length = warmUp + steps;
        double[] scaled = new double[n];
        for (int i = Math.max(0, from - features.longestLag()); i < n; i++) {
            if (Double.isInfinite(context.at(i))) {
                throw new ForecastException("context value at step " + i + " (" + context.timeAt(i) + ") is "
                        + context.at(i) + "; demand must be finite, or NaN where missing");
            }
            scaled[i] = context.at(i) / scale;
        }
        double[] x = new double[length * LstmFeatures.INPUTS];
        features.encode(scaled, n, context.start(), from, length, x);
        double anchor = LstmFeatures.anchor(x, warmUp);
        LstmFeatures.shift(x, length, anchor);
        LstmNetwork.Workspace ws = network.workspace(length);
        network.forward(parameters, ws, x, length);
        double[][] values = new double[LstmNetwork.QUANTILES][steps];
        for (int q = 0; q < LstmNetwork.QUANTILES; q++) {
            for (int t = 0; t < steps; t++) {
                double v = (ws.quantile(warmUp + t, q) + anchor) * scale;
                values[q][t] = nonNegative ? Math.max(0.0, v) : v;
            }
        }
        return new Forecast(context.end(), step, Forecast.LEVELS, values);
    }

    /** The trained weights, for tests of reproducibility. */
    double[] parameters() {
        return parameters.clone();
    }
}
