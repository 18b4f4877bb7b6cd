package io.dormouse.forecast;

import java.time.Duration;
import java.util.Arrays;

/**
 * Seasonal naive forecasts: demand repeats the previous day, the previous week, or the larger of
 * the two. Quantiles come from the empirical distribution of the model's own in-sample errors,
 * widened by the square root of the number of seasons a forecast reaches back.
 */
public final class SeasonalNaive implements Forecaster {

    /** Which earlier value a step repeats. */
    public enum Lag {
        DAY("naive-day"), WEEK("naive-week"), MAX_OF_DAY_AND_WEEK("naive-max");

        private final String modelName;

        Lag(String modelName) {
            this.modelName = modelName;
        }
    }

    private final Lag lag;

    private SeasonalNaive(Lag lag) {
        this.lag = lag;
    }

    public static SeasonalNaive of(Lag lag) {
        return new SeasonalNaive(lag);
    }

    public static SeasonalNaive previousDay() {
        return of(Lag.DAY);
    }

    public static SeasonalNaive previousWeek() {
        return of(Lag.WEEK);
    }

    public static SeasonalNaive maxOfDayAndWeek() {
        return of(Lag.MAX_OF_DAY_AND_WEEK);
    }

    @Override
    public String name() {
        return lag.modelName;
    }

    @Override
    public Model fit(Series history, Calendar calendar) {
        return EventEffects.fit(history, calendar, this::fitPlain);
    }

    private Model fitPlain(Series history) {
        int day = history.stepsPer(Duration.ofDays(1));
        int week = history.stepsPer(Duration.ofDays(7));
        int longest = lag == Lag.DAY ? day : week;
        if (history.size() <= longest) {
            throw new ForecastException(name() + " needs more than " + longest + " steps of history ("
                    + (lag == Lag.DAY ? "1 day" : "1 week") + " of " + history.step() + "), got " + history.size());
        }
        double[] y = history.values();
        double[] errors = new double[y.length - longest];
        for (int t = longest; t < y.length; t++) {
            errors[t - longest] = y[t] - point(y, t, day, week);
        }
        if (Quantiles.sortedFinite(errors).length == 0) {
            throw new ForecastException(name() + " found no step with both a value and its value "
                    + (lag == Lag.DAY ? "a day" : "a week") + " before: history of " + y.length
                    + " steps is mostly missing");
        }
        ResidualQuantiles quantiles = ResidualQuantiles.of(new double[][] {errors},
                ResidualQuantiles.nonNegative(history));
        return (context, steps) -> predict(context, steps, day, week, quantiles);
    }

    private Forecast predict(Series context, int steps, int day, int week, ResidualQuantiles quantiles) {
        double[] y = context.values();
        double[] extended = Arrays.copyOf(y, y.length + steps);
        double[] points = new double[steps];
        int season = lag == Lag.DAY ? day : week;
        for (int t = 0; t < steps; t++) {
            double p = point(extended, y.length + t, day, week);
            extended[y.length + t] = p;
            points[t] = Double.isNaN(p) ? lastFinite(y) : p;
        }
        Forecast plain = quantiles.around(context.end(), context.step(), points);
        double[][] widened = plain.values();
        for (int t = season; t < steps; t++) {
            // a forecast reaching k seasons back accumulates k seasonal differences
            double spread = Math.sqrt(Math.ceil((t + 1.0) / season));
            double median = widened[0][t];
            for (int q = 0; q < widened.length; q++) {
                if (Forecast.LEVELS[q] > 0.5) {
                    widened[q][t] = median + (widened[q][t] - median) * spread;
                }
            }
        }
        return new Forecast(plain.start(), plain.step(), plain.levels(), widened);
    }

    /** The value {@code y[t]} repeats; NaN when the values it needs are missing. */
    private double point(double[] y, int t, int day, int week) {
        return switch (lag) {
            case DAY -> back(y, t, day);
            case WEEK -> back(y, t, week);
            case MAX_OF_DAY_AND_WEEK -> {
                double d = back(y, t, day);
                double w = back(y, t, week);
                yield Double.isNaN(d) ? w : Double.isNaN(w) ? d : Math.max(d, w);
            }
        };
    }

    /** The latest finite value a whole number of seasons before {@code t}. */
    private static double back(double[] y, int t, int season) {
        for (int j = t - season; j >= 0; j -= season) {
            if (!Double.isNaN(y[j])) {
                return y[j];
            }
        }
        return Double.NaN;
    }

    private static double lastFinite(double[] y) {
        for (int i = y.length - 1; i >= 0; i--) {
            if (!Double.isNaN(y[i])) {
                return y[i];
            }
        }
        throw new ForecastException("context has no value at all: nothing to forecast from");
    }
}
