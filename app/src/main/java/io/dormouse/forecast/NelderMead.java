package io.dormouse.forecast;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.ToDoubleFunction;

/**
 * Derivative-free minimizer (Nelder and Mead 1965, with the standard coefficients: reflection 1,
 * expansion 2, contraction 0.5, shrink 0.5). Deterministic: the same start gives the same result.
 */
final class NelderMead {

    /** The best point found and its value. */
    record Result(double[] point, double value, int evaluations) {
    }

    private final int maxEvaluations;
    private final double tolerance;

    NelderMead(int maxEvaluations, double tolerance) {
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("maxEvaluations must be positive, got " + maxEvaluations);
        }
        this.maxEvaluations = maxEvaluations;
        this.tolerance = tolerance;
    }

    /**
     * Minimizes {@code f} from {@code start} with an initial simplex of {@code start} plus
     * {@code scale} along each axis. Stops when the values across the simplex differ by less than
     * the tolerance (relative to their size) or after the evaluation budget.
     */
    Result minimize(ToDoubleFunction<double[]> f, double[] start, double scale) {
        int n = start.length;
        double[][] simplex = new double[n + 1][];
        double[] values = new double[n + 1];
        simplex[0] = start.clone();
        for (int i = 1; i <= n; i++) {
            simplex[i] = start.clone();
            simplex[i][i - 1] += scale;
        }
        int evaluations = 0;
        for (int i = 0; i <= n; i++) {
            values[i] = safe(f, simplex[i]);
            evaluations++;
        }
        Integer[] order = new Integer[n + 1];
        while (evaluations < maxEvaluations) {
            for (int i = 0; i <= n; i++) {
                order[i] = i;
            }
            double[] v = values;
            Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
            int best = order[0];
            int worst = order[n];
            int secondWorst = order[n - 1];
            if (Math.abs(values[worst] - values[best]) <= tolerance * (Math.abs(values[best]) + tolerance)) {
                break;
            }
            double[] centroid = new double[n];
            for (int i = 0; i <= n; i++) {
                if (i != worst) {
                    for (int d = 0; d < n; d++) {
                        centroid[d] += simplex[i][d] / n;
                    }
                }
            }
            double[] reflected = along(centroid, simplex[worst], -1.0);
            double fr = safe(f, reflected);
            evaluations++;
            if (fr < values[best]) {
                double[] expanded = along(centroid, simplex[worst], -2.0);
                double fe = safe(f, expanded);
                evaluations++;
                replace(simplex, values, worst, fe < fr ? expanded : reflected, Math.min(fe, fr));
            } else if (fr < values[secondWorst]) {
                replace(simplex, values, worst, reflected, fr);
            } else {
                boolean outside = fr < values[worst];
                double[] contracted = along(centroid, simplex[worst], outside ? -0.5 : 0.5);
                double fc = safe(f, contracted);
                evaluations++;
                if (fc < Math.min(fr, values[worst])) {
                    replace(simplex, values, worst, contracted, fc);
                } else {
                    for (int i = 0; i <= n; i++) {
                        if (i != best) {
                            simplex[i] = along(simplex[best], simplex[i], 0.5);
                            values[i] = safe(f, simplex[i]);
                            evaluations++;
                        }
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i <= n; i++) {
            if (values[i] < values[best]) {
                best = i;
            }
        }
        return new Result(simplex[best].clone(), values[best], evaluations);
    }

    /** {@code from + t * (to - from)}. */
    private static double[] along(double[] from, double[] to, double t) {
        double[] p = new double[from.length];
        for (int d = 0; d < p.length; d++) {
            p[d] = from[d] + t * (to[d] - from[d]);
        }
        return p;
    }

    private static void replace(double[][] simplex, double[] values, int i, double[] point, double value) {
        simplex[i] = point;
        values[i] = value;
    }

    /** A NaN objective counts as infinitely bad, so that the simplex moves away from it. */
    private static double safe(ToDoubleFunction<double[]> f, double[] x) {
        double v = f.applyAsDouble(x);
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }
}
