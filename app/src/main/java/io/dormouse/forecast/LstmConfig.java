package io.dormouse.forecast;

/**
 * Shape and training budget of the {@link Lstm} forecaster. Lengths are in steps of the series
 * the model is fitted on; the training budget is counted in optimizer updates rather than wall
 * time so that a fixed seed gives bit-identical models on any machine load.
 *
 * @param hiddenSize   units per LSTM layer
 * @param layers       stacked LSTM layers, 1 or 2
 * @param window       observed steps the hidden state is warmed up on before a forecast
 * @param horizon      steps after the origin the model is trained to forecast directly
 * @param epochs       passes over the training windows
 * @param learningRate Adam step size
 * @param batchSize    windows whose gradients are averaged into one update
 * @param stride       steps between the starts of consecutive training windows
 * @param maxUpdates   cap on optimizer updates, whichever of this and {@code epochs} ends first
 * @param seed         seed of the weight initialization and the window order
 */
public record LstmConfig(
        int hiddenSize,
        int layers,
        int window,
        int horizon,
        int epochs,
        double learningRate,
        int batchSize,
        int stride,
        int maxUpdates,
        long seed) {

    /**
     * Defaults sized so that 14 days of 5-minute history fit in about 0.2 s of one core and a
     * forecast of 36 steps takes about 0.1 ms: 12 hidden units, one layer, a 4-hour window and
     * a 3-hour horizon at 5-minute steps, 300 updates of 4 windows at learning rate 0.02. Fitting
     * costs about {@code maxUpdates * batchSize * (window + horizon)} cell steps, each growing
     * with the square of {@code hiddenSize}; a second layer more than doubles it.
     */
    public static LstmConfig defaults() {
        return new LstmConfig(12, 1, 48, 36, 40, 0.02, 4, 12, 300, 1L);
    }

    public LstmConfig {
        requireRange("hiddenSize", hiddenSize, 1, 256);
        requireRange("layers", layers, 1, 2);
        requireRange("window", window, 1, 100_000);
        requireRange("horizon", horizon, 1, 100_000);
        requireRange("epochs", epochs, 1, 100_000);
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
        }
        requireRange("batchSize", batchSize, 1, 100_000);
        requireRange("stride", stride, 1, 100_000);
        requireRange("maxUpdates", maxUpdates, 1, 10_000_000);
    }

    public LstmConfig withSeed(long newSeed) {
        return new LstmConfig(hiddenSize, layers, window, horizon, epochs, learningRate, batchSize, stride,
                maxUpdates, newSeed);
    }

    public LstmConfig withLayers(int newLayers) {
        return new LstmConfig(hiddenSize, newLayers, window, horizon, epochs, learningRate, batchSize, stride,
                maxUpdates, seed);
    }

    public LstmConfig withTraining(int newEpochs, int newMaxUpdates) {
        return new LstmConfig(hiddenSize, layers, window, horizon, newEpochs, learningRate, batchSize, stride,
                newMaxUpdates, seed);
    }

    /** Steps of one training sequence: the warm-up window followed by the forecast horizon. */
    int sequenceLength() {
        return window + horizon;
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in " + min + ".." + max + ", got " + value);
        }
    }
}
