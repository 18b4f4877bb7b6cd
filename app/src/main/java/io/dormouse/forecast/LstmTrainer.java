package io.dormouse.forecast;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Fits the network's weights on the task it is used for: each training sequence is a window of
 * observed steps followed by a horizon whose demand inputs are masked, measured from the level
 * just before its origin ({@link LstmFeatures#anchor}), and the loss is the pinball loss on the
 * horizon only (earlier steps would see targets the anchor was taken from). Windows start every {@code stride} steps from a random
 * offset, are visited in a shuffled order each epoch and averaged in mini-batches. The learning
 * rate falls linearly to a tenth over the planned updates, so that the last updates refine
 * rather than jolt the weights and the result depends less on the seed.
 */
final class LstmTrainer {

    private static final double FINAL_RATE = 0.1;

    private final LstmNetwork network;
    private final LstmFeatures features;
    private final LstmConfig config;
    private final RandomGenerator random;

    LstmTrainer(LstmNetwork network, LstmFeatures features, LstmConfig config, RandomGenerator random) {
        this.network = network;
        this.features = features;
        this.config = config;
        this.random = random;
    }

    /**
     * Returns trained weights, given the inputs {@code x} of every history step (as written by
     * {@link LstmFeatures#encode} with every step observed) and the scaled demand {@code y} (NaN where missing).
     *
     * @throws ForecastException when no training window has an observed step in its horizon
     */
    double[] train(double[] x, double[] y) {
        int inputs = network.inputs();
        int window = config.window();
        int length = config.sequenceLength();
        int lastStart = y.length - length;
        double[] parameters = network.initialParameters(random);
        double[] gradient = new double[parameters.length];
        AdamOptimizer adam = new AdamOptimizer(parameters.length);
        int batchesPerEpoch = Math.ceilDiv(lastStart / config.stride() + 1, config.batchSize());
        int planned = (int) Math.min(config.maxUpdates(), (long) config.epochs() * batchesPerEpoch);
        LstmNetwork.Workspace ws = network.workspace(length);
        double[] sequenceX = new double[length * inputs];
        double[] sequenceY = new double[length];
        int updates = 0;
        for (int epoch = 0; epoch < config.epochs() && updates < config.maxUpdates(); epoch++) {
            int[] starts = shuffledStarts(lastStart);
            int inBatch = 0;
            int targets = 0;
            for (int s = 0; s < starts.length && updates < config.maxUpdates(); s++) {
                int start = starts[s];
                int observed = observedTargets(y, start + window, start + length);
                if (observed == 0) {
                    continue;
                }
                System.arraycopy(x, start * inputs, sequenceX, 0, length * inputs);
                for (int row = window + 1; row < length; row++) {
                    features.maskFrom(sequenceX, row, window);
                }
                double anchor = LstmFeatures.anchor(sequenceX, window);
                LstmFeatures.shift(sequenceX, length, anchor);
                for (int i = 0; i < length; i++) {
                    sequenceY[i] = y[start + i] - anchor;
                }
                network.forward(parameters, ws, sequenceX, length);
                network.backward(parameters, ws, sequenceX, sequenceY, window, length, gradient);
                targets += observed;
                inBatch++;
                if (inBatch == config.batchSize()) {
                    update(adam, parameters, gradient, targets, rate(updates, planned));
                    updates++;
                    inBatch = 0;
                    targets = 0;
                }
            }
            if (inBatch > 0) {
                update(adam, parameters, gradient, targets, rate(updates, planned));
                updates++;
            }
        }
        if (updates == 0) {
            throw new ForecastException("no training window of the history has an observed step in its "
                    + config.horizon() + "-step horizon");
        }
        return parameters;
    }

    private double rate(int updates, int planned) {
        return config.learningRate() * Math.max(FINAL_RATE, 1 - (1 - FINAL_RATE) * updates / planned);
    }

    private static void update(AdamOptimizer adam, double[] parameters, double[] gradient, int targets, double rate) {
        double mean = 1.0 / targets;
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] *= mean;
        }
        adam.step(parameters, gradient, rate);
        Arrays.fill(gradient, 0.0);
    }

    private int[] shuffledStarts(int lastStart) {
        int offset = random.nextInt(Math.min(config.stride(), lastStart + 1));
        int count = (lastStart - offset) / config.stride() + 1;
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            starts[i] = offset + i * config.stride();
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = starts[i];
            starts[i] = starts[j];
            starts[j] = swap;
        }
        return starts;
    }

    private static int observedTargets(double[] y, int from, int to) {
        int count = 0;
        for (int t = from; t < to; t++) {
            if (!Double.isNaN(y[t])) {
                count++;
            }
        }
        return count;
    }
}
