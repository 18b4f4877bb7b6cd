package io.dormouse.schedule;

import io.dormouse.forecast.Forecast;
import io.dormouse.forecast.Forecaster;
import io.dormouse.forecast.Series;

/**
 * What a replay of a VM's history predicts at each step: the demand expected from step {@code t} on.
 * Tuning asks it once per step per candidate policy, so every implementation answers with a view into
 * arrays it already holds.
 */
@FunctionalInterface
public interface Foresight {

    /** Predicted demand from step {@code t} of the replayed series on, at most {@code steps} values. */
    Demand from(int t, int steps);

    /** The actual future: what a perfect forecast would say. The array is not copied. */
    static Foresight perfect(double[] demand) {
        return (t, steps) -> new Demand(demand, t, Math.max(0, Math.min(steps, demand.length - t)));
    }

    /** Each step repeats the step {@code lag} earlier (the seasonal naive forecast); NaN before the first season. */
    static Foresight repeating(double[] demand, int lag) {
        if (lag < 1) {
            throw new IllegalArgumentException("lag must be 1 step or more, got " + lag);
        }
        double[] shifted = new double[demand.length + lag];
        java.util.Arrays.fill(shifted, 0, lag, Double.NaN);
        System.arraycopy(demand, 0, shifted, lag, demand.length);
        return (t, steps) -> new Demand(shifted, t, Math.max(0, Math.min(steps, shifted.length - t)));
    }

    /**
     * Forecasts of {@code model} at quantile {@code level} from an origin every {@code every} steps of
     * {@code history}, each {@code horizon + every} steps long, so that the steps between two origins
     * reuse the earlier forecast; before {@code firstOrigin} nothing is predicted.
     */
    static Foresight forecasts(Forecaster.Model model, Series history, double level, int horizon, int every,
                               int firstOrigin) {
        if (every < 1 || horizon < 1 || firstOrigin < 1) {
            throw new IllegalArgumentException("every, horizon and firstOrigin must be 1 step or more, got "
                    + every + ", " + horizon + ", " + firstOrigin);
        }
        int origins = Math.max(0, (history.size() - firstOrigin + every - 1) / every);
        double[][] predicted = new double[origins][];
        for (int o = 0; o < origins; o++) {
            Forecast f = model.predict(history.head(firstOrigin + o * every), horizon + every);
            predicted[o] = f.quantile(level);
        }
        return (t, steps) -> {
            if (t < firstOrigin || origins == 0) {
                return Demand.NONE;
            }
            int o = Math.min((t - firstOrigin) / every, origins - 1);
            int offset = t - (firstOrigin + o * every);
            double[] values = predicted[o];
            return new Demand(values, Math.min(offset, values.length), Math.max(0, Math.min(steps, values.length - offset)));
        };
    }
}
