package io.dormouse.forecast;

import java.util.Arrays;

/** Empirical quantiles of samples, interpolated linearly between order statistics (Hyndman-Fan type 7). */
final class Quantiles {

    private Quantiles() {
    }

    /** The {@code p} quantile of {@code sorted}, which is in ascending order and not empty. */
    static double ofSorted(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    /** The finite values of {@code values}, sorted ascending. */
    static double[] sortedFinite(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        Arrays.sort(finite);
        return finite;
    }
}
