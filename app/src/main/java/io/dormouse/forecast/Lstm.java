package io.dormouse.forecast;

import java.util.random.RandomGeneratorFactory;

/**
 * A small quantile LSTM: stacked LSTM layers (Hochreiter &amp; Schmidhuber 1997) under a linear
 * head that gives the 0.5, 0.9 and 0.99 quantiles of demand at once, trained by backpropagation
 * through time with Adam (Kingma &amp; Ba 2015) on the pinball loss (Koenker &amp; Bassett 1978).
 * See {@link LstmModel} for how it forecasts several steps ahead.
 */
public final class Lstm implements Forecaster {

    private static final String RANDOM_ALGORITHM = "L64X128MixRandom";

    private final LstmConfig config;

    private Lstm(LstmConfig config) {
        this.config = config;
    }

    public static Lstm withDefaults() {
        return new Lstm(LstmConfig.defaults());
    }

    public static Lstm of(LstmConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        return new Lstm(config);
    }

    @Override
    public String name() {
        return "lstm";
    }

    /**
     * @throws ForecastException when the history is shorter than one training sequence (window
     *                           plus horizon), has no observed value or an infinite one
     */
    @Override
    public Model fit(Series history, Calendar calendar) {
        int needed = config.sequenceLength();
        if (history.size() < needed) {
            throw new ForecastException("history has " + history.size() + " steps; the lstm needs at least "
                    + needed + " (window " + config.window() + " + horizon " + config.horizon() + ")");
        }
        double[] values = history.values();
        boolean nonNegative = true;
        int observed = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isInfinite(values[i])) {
                throw new ForecastException("history value at step " + i + " (" + history.timeAt(i) + ") is "
                        + values[i] + "; demand must be finite, or NaN where missing");
            }
            if (!Double.isNaN(values[i])) {
                observed++;
                nonNegative &= values[i] >= 0;
            }
        }
        if (observed == 0) {
            throw new ForecastException("history has no observed value: all " + values.length + " steps are NaN");
        }
        double scale = LstmFeatures.scaleOf(values);
        double[] scaled = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            scaled[i] = values[i] / scale;
        }
        LstmFeatures features = new LstmFeatures(history.step(), calendar, values.length);
        double[] x = new double[values.length * LstmFeatures.INPUTS];
        features.encode(scaled, values.length, history.start(), 0, values.length, x);
        LstmNetwork network = new LstmNetwork(LstmFeatures.INPUTS, config.hiddenSize(), config.layers());
        LstmTrainer trainer = new LstmTrainer(network, features, config,
                RandomGeneratorFactory.of(RANDOM_ALGORITHM).create(config.seed()));
        double[] parameters = trainer.train(x, scaled);
        return new LstmModel(network, features, parameters, config.window(), history.step(), scale, nonNegative);
    }
}
