package io.dormouse.forecast;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The calendar as a multiplicative adjustment shared by the statistical models: an event's effect is
 * learned where it occurred in history, else its declared factor is used; history is divided by the
 * effects before fitting (so events do not pollute the seasonal shape) and forecasts multiplied by them.
 */
final class EventEffects {

    /** Learned effects are kept in this range so that dividing by them stays meaningful. */
    static final double MIN_EFFECT = 0.1;
    static final double MAX_EFFECT = 10.0;

    private final Calendar calendar;
    private final Map<String, Double> learned;

    private EventEffects(Calendar calendar, Map<String, Double> learned) {
        this.calendar = calendar;
        this.learned = Map.copyOf(learned);
    }

    /** Fits {@code plain} on the de-adjusted history and wraps its model to re-apply the events. */
    static Forecaster.Model fit(Series history, Calendar calendar, Function<Series, Forecaster.Model> plain) {
        if (calendar == Calendar.EMPTY) {
            return plain.apply(history);
        }
        EventEffects effects = learn(history, calendar);
        Forecaster.Model base = plain.apply(effects.deadjust(history));
        return (context, steps) -> effects.adjust(base.predict(effects.deadjust(context), steps));
    }

    static EventEffects learn(Series history, Calendar calendar) {
        double[] y = history.values();
        boolean[] inEvent = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            inEvent[i] = calendar.eventAt(history.timeAt(i));
        }
        int[] lags = {period(history, Duration.ofDays(7)), period(history, Duration.ofDays(1))};
        Map<String, double[]> sums = new HashMap<>();
        for (int i = 0; i < y.length; i++) {
            if (!inEvent[i] || !Double.isFinite(y[i])) {
                continue;
            }
            double baseline = baseline(y, inEvent, i, lags);
            if (Double.isNaN(baseline)) {
                continue;
            }
            for (String name : calendar.factorsAt(history.timeAt(i)).keySet()) {
                double[] s = sums.computeIfAbsent(name, k -> new double[2]);
                s[0] += y[i];
                s[1] += baseline;
            }
        }
        Map<String, Double> learned = new HashMap<>();
        sums.forEach((name, s) -> {
            if (s[1] > 0) {
                learned.put(name, Math.clamp(s[0] / s[1], MIN_EFFECT, MAX_EFFECT));
            }
        });
        return new EventEffects(calendar, learned);
    }

    /** The effect learned for events named {@code name}, if they occurred in the history. */
    Double learned(String name) {
        return learned.get(name);
    }

    /** The demand multiplier at {@code t}: the product of the effects of the events in effect. */
    double factorAt(Instant t) {
        double factor = 1.0;
        for (Map.Entry<String, Double> e : calendar.factorsAt(t).entrySet()) {
            factor *= learned.getOrDefault(e.getKey(), e.getValue());
        }
        return factor;
    }

    /** {@code s} with event steps divided by their effect; a zero effect leaves the step missing. */
    Series deadjust(Series s) {
        double[] v = s.values().clone();
        for (int i = 0; i < v.length; i++) {
            double f = factorAt(s.timeAt(i));
            if (f != 1.0) {
                v[i] = f > 0 ? v[i] / f : Double.NaN;
            }
        }
        return new Series(s.start(), s.step(), v);
    }

    Forecast adjust(Forecast f) {
        double[][] values = Arrays.stream(f.values()).map(double[]::clone).toArray(double[][]::new);
        for (int t = 0; t < f.steps(); t++) {
            double factor = factorAt(f.timeAt(t));
            for (double[] row : values) {
                row[t] *= factor;
            }
        }
        return new Forecast(f.start(), f.step(), f.levels(), values);
    }

    /**
     * What step {@code i} would have been without events: the mean of the same step one and two weeks
     * (else days) before and after, outside events; for an event that recurs at every such step (a
     * nightly job), the mean of the nearest steps outside events on either side, within a day. NaN if none.
     */
    private static double baseline(double[] y, boolean[] inEvent, int i, int[] lags) {
        for (int lag : lags) {
            double mean = mean(y, inEvent, i - lag, i + lag, i - 2 * lag, i + 2 * lag);
            if (lag > 0 && !Double.isNaN(mean)) {
                return mean;
            }
        }
        int before = i;
        int after = i;
        int reach = lags[1] > 0 ? lags[1] : y.length;
        while (before >= 0 && i - before < reach && (inEvent[before] || Double.isNaN(y[before]))) {
            before--;
        }
        while (after < y.length && after - i < reach && (inEvent[after] || Double.isNaN(y[after]))) {
            after++;
        }
        return mean(y, inEvent, before, after);
    }

    private static double mean(double[] y, boolean[] inEvent, int... steps) {
        double sum = 0;
        int n = 0;
        for (int j : steps) {
            if (j >= 0 && j < y.length && !inEvent[j] && !Double.isNaN(y[j])) {
                sum += y[j];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static int period(Series s, Duration period) {
        return period.toNanos() % s.step().toNanos() == 0 ? (int) (period.toNanos() / s.step().toNanos()) : 0;
    }
}
