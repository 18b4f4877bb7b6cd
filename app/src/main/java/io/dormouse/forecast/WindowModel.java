package io.dormouse.forecast;

import java.time.Duration;
import java.util.Arrays;

/**
 * The hybrid histogram's windows as a forecast: each future step is active with the probability
 * seen in history for steps inside (or outside) the warm window, and the forecast quantiles are
 * those of the mixture of the active and idle levels seen in history.
 */
final class WindowModel implements Forecaster.Model {

    private final IdleWindows windows;
    private final double threshold;
    private final double activeInWindow;
    private final double activeOutside;
    private final double[] activeLevels;
    private final double[] idleLevels;

    private WindowModel(IdleWindows windows, double threshold, double activeInWindow, double activeOutside,
            double[] activeLevels, double[] idleLevels) {
        this.windows = windows;
        this.threshold = threshold;
        this.activeInWindow = activeInWindow;
        this.activeOutside = activeOutside;
        this.activeLevels = activeLevels;
        this.idleLevels = idleLevels;
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
                int[] counts = windows.warmAfter(idle(history.step(), i - lastActive - 1)) ? in : out;
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
        return new WindowModel(windows, threshold, share(in, overall), share(out, overall), activeLevels, idleLevels);
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
            boolean warm = lastActive >= 0
                    && windows.warmAfter(idle(context.step(), context.size() + t - lastActive - 1L));
            double p = warm ? activeInWindow : activeOutside;
            for (int q = 0; q < values.length; q++) {
                values[q][t] = mixtureQuantile(Forecast.LEVELS[q], p);
            }
        }
        return new Forecast(context.end(), context.step(), Forecast.LEVELS, values);
    }

    /** The {@code level} quantile of "active level with probability p, else idle level". */
    private double mixtureQuantile(double level, double p) {
        if (activeLevels.length == 0 || (level < 1 - p && idleLevels.length > 0)) {
            return Quantiles.ofSorted(idleLevels, idleLevels.length == 0 ? 0 : Math.min(1, level / (1 - p)));
        }
        return Quantiles.ofSorted(activeLevels, p == 0 ? 0 : Math.max(0, (level - (1 - p)) / p));
    }

    private static Duration idle(Duration step, long steps) {
        return step.multipliedBy(steps);
    }

    private static double share(int[] counts, double otherwise) {
        return counts[0] == 0 ? otherwise : (double) counts[1] / counts[0];
    }
}
