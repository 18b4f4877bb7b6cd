package io.dormouse.forecast;

import java.util.Arrays;

/** Forecasters with known output for the backtest and selector tests. */
final class Fakes {

    private Fakes() {
    }

    /** Forecasts {@code value} at every level and step. */
    static Forecaster constant(String name, double value) {
        return new Forecaster() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Model fit(Series history, Calendar calendar) {
                return (context, steps) -> {
                    double[][] v = new double[Forecast.LEVELS.length][steps];
                    for (double[] row : v) {
                        Arrays.fill(row, value);
                    }
                    return new Forecast(context.end(), context.step(), Forecast.LEVELS, v);
                };
            }
        };
    }

    /** Forecasts exactly what {@code truth} holds after the context (the last value past its end). */
    static Forecaster oracle(Series truth) {
        return new Forecaster() {
            @Override
            public String name() {
                return "oracle";
            }

            @Override
            public Model fit(Series history, Calendar calendar) {
                return (context, steps) -> {
                    double[][] v = new double[Forecast.LEVELS.length][steps];
                    for (double[] row : v) {
                        for (int t = 0; t < steps; t++) {
                            row[t] = truth.at(Math.min(context.size() + t, truth.size() - 1));
                        }
                    }
                    return new Forecast(context.end(), context.step(), Forecast.LEVELS, v);
                };
            }
        };
    }

    static Forecaster failing(String name) {
        return new Forecaster() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Model fit(Series history, Calendar calendar) {
                throw new ForecastException(name + " cannot fit");
            }
        };
    }
}
