package io.dormouse.forecast;

import java.time.Duration;
import java.util.Arrays;

/**
 * The hybrid histogram's windows as a forecast for a VM idle most of the time: each future step is
 * active with the probability seen in history for steps inside (or outside) the warm window after
 * the last activity, and its quantiles are those of the mixture of the active and idle levels seen
 * in history.
 */
final class WindowModel implements Forecaster.Model {

    private final IdleWindows windows;
    private final double threshold;
    private final double[] warm;
    private final double[] cold;

    private WindowModel(IdleWindows windows, double threshold, double[] warm, double[] cold) {
        this.windows = windows;
        this.threshold = threshold;
        this.warm = warm;
        this.cold = cold;
    }

    static WindowModel fit(Series history, IdleWindows windows, double threshold) {
        int[] in = new int[2];
        int[] out = new int[2];
        int lastActive = -1;
        for (int i = 0; i < history.size(); i++) {
            double v = history.at(i);
            if (Double.isNaN(v)) {
                continue;
            }
            boolean active = v > threshold;
            if (lastActive >= 0) {
                int[] counts = windows.warmAfter(history.step().multipliedBy(i - lastActive - 1L)) ? in : out;
                counts[0]++;
                counts[1] += active ? 1 : 0;
            }
            if (active) {
                lastActive = i;
            }
        }
        double[] values = Quantiles.sortedFinite(history.values());
        double[] activeLevels = Arrays.stream(values).filter(v -> v > threshold).toArray();
        double[] idleLevels = Arrays.stream(values).filter(v -> v <= threshold).toArray();
        double overall = (double) activeLevels.length / values.length;
        return new WindowModel(windows, threshold,
                mixture(share(in, overall), activeLevels, idleLevels),
                mixture(share(out, overall), activeLevels, idleLevels));
    }

    @Override
    public Forecast predict(Series context, int steps) {
        int lastActive = -1;
        for (int i = context.size() - 1; i >= 0; i--) {
            if (context.at(i) > threshold) {
                lastActive = i;
                break;
            }
        }
        double[][] values = new double[Forecast.LEVELS.length][steps];
        for (int t = 0; t < steps; t++) {
            boolean inWindow = lastActive >= 0
                    && windows.warmAfter(context.step().multipliedBy(context.size() + t - lastActive - 1L));
            double[] quantiles = inWindow ? warm : cold;
            for (int q = 0; q < values.length; q++) {
                values[q][t] = quantiles[q];
            }
        }
        return new Forecast(context.end(), context.step(), Forecast.LEVELS, values);
    }

    /** The quantiles at {@link Forecast#LEVELS} of "an active level with probability p, else an idle level". */
    private static double[] mixture(double p, double[] activeLevels, double[] idleLevels) {
        double[] quantiles = new double[Forecast.LEVELS.length];
        for (int q = 0; q < quantiles.length; q++) {
            double level = Forecast.LEVELS[q];
            boolean idle = activeLevels.length == 0 || (level < 1 - p && idleLevels.length > 0);
            quantiles[q] = idle
                    ? Quantiles.ofSorted(idleLevels, Math.min(1, level / (1 - p)))
                    : Quantiles.ofSorted(activeLevels, Math.max(0, (level - (1 - p)) / p));
        }
        return quantiles;
    }

    private static double share(int[] counts, double otherwise) {
        return counts[0] == 0 ? otherwise : (double) counts[1] / counts[0];
    }
}
