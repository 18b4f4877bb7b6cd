package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

/** Synthetic demand with known structure for the forecasting tests, from a fixed seed. */
final class Synthetic {

    static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(5);
    static final int DAY = 288;
    static final int WEEK = 7 * DAY;

    private Synthetic() {
    }

    /** {@code 100 + 30 sin(daily) + 10 sin(weekly) + N(0, noise)} at 5-minute steps. */
    static Series seasonal(int steps, double noise, long seed) {
        return series(steps, noise, seed, i -> clean(i));
    }

    static double clean(int i) {
        return 100 + 30 * Math.sin(2 * Math.PI * i / DAY) + 10 * Math.sin(2 * Math.PI * i / WEEK);
    }

    static Series series(int steps, double noise, long seed, IntToDoubleFunction shape) {
        Random random = new Random(seed);
        double[] v = new double[steps];
        for (int i = 0; i < steps; i++) {
            v[i] = shape.applyAsDouble(i) + noise * random.nextGaussian();
        }
        return new Series(START, STEP, v);
    }

    /** Mean absolute error of {@code forecast}'s median against {@code actual} from index {@code from}. */
    static double medianError(Forecast forecast, Series actual, int from) {
        double[] median = forecast.quantile(0.5);
        double sum = 0;
        for (int t = 0; t < median.length; t++) {
            sum += Math.abs(actual.at(from + t) - median[t]);
        }
        return sum / median.length;
    }
}
