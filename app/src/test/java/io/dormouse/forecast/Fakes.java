package io.dormouse.forecast;

import java.util.function.Function;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToIntFunction;

/** Forecasters with known output for the backtest and selector tests. */
final class Fakes {

    private Fakes() {
    }

    /** Forecasts {@code value} at every level and step. */
    static Forecaster constant(String name, double value) {
        return named(name, context -> 0, t -> value);
    }

    /** Forecasts exactly what {@code truth} holds after the context (the last value past its end). */
    static Forecaster oracle(Series truth) {
        return named("oracle", Series::size, i -> truth.at(Math.min(i, truth.size() - 1)));
    }

    static Forecaster failing(String name) {
        return of(name, history -> {
            throw new ForecastException(name + " cannot fit");
        });
    }

    /** Forecasts {@code value(offset(context) + t)} at every level for step {@code t}. */
    private static Forecaster named(String name, ToIntFunction<Series> offset, IntToDoubleFunction value) {
        return of(name, history -> (context, steps) -> {
            double[][] v = new double[Forecast.LEVELS.length][steps];
            for (double[] row : v) {
                for (int t = 0; t < steps; t++) {
                    row[t] = value.applyAsDouble(offset.applyAsInt(context) + t);
                }
            }
            return new Forecast(context.end(), context.step(), Forecast.LEVELS, v);
        });
    }

    private static Forecaster of(String name, Function<Series, Forecaster.Model> fit) {
        return new Forecaster() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Model fit(Series history, Calendar calendar) {
                return fit.apply(history);
            }
        };
    }
}
