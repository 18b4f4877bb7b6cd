package io.dormouse.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LstmGradientTest {

    private static final int INPUTS = 3;
    private static final int HIDDEN = 4;
    private static final int LENGTH = 7;
    private static final int LOSS_FROM = 2;
    private static final double EPSILON = 1e-6;

    /** Backpropagation through time against central differences, for every weight of every layer and the head. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void gradientMatchesFiniteDifferences(int layers) {
        SplittableRandom random = new SplittableRandom(42 + layers);
        LstmNetwork network = new LstmNetwork(INPUTS, HIDDEN, layers);
        double[] p = new double[network.parameterCount()];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextDouble(-0.8, 0.8);
        }
        double[] x = new double[LENGTH * INPUTS];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble(-1, 1);
        }
        double[] y = new double[LENGTH];
        for (int t = 0; t < LENGTH; t++) {
            y[t] = random.nextDouble(-1, 2);
        }
        y[4] = Double.NaN;
        LstmNetwork.Workspace ws = network.workspace(LENGTH);
        double[] analytic = new double[p.length];
        network.forward(p, ws, x, LENGTH);
        network.backward(p, ws, x, y, LOSS_FROM, LENGTH, analytic);

        double worst = 0;
        int nonZero = 0;
        for (int i = 0; i < p.length; i++) {
            double saved = p[i];
            p[i] = saved + EPSILON;
            double plus = loss(network, ws, p, x, y);
            p[i] = saved - EPSILON;
            double minus = loss(network, ws, p, x, y);
            p[i] = saved;
            double numeric = (plus - minus) / (2 * EPSILON);
            double error = Math.abs(analytic[i] - numeric) / Math.max(1e-3, Math.abs(analytic[i]) + Math.abs(numeric));
            worst = Math.max(worst, error);
            if (Math.abs(analytic[i]) > 1e-6) {
                nonZero++;
            }
        }
        assertThat(worst).as("largest relative gradient error").isLessThan(1e-5);
        assertThat(nonZero).as("weights with a gradient").isGreaterThan(p.length * 9 / 10);
    }

    private static double loss(LstmNetwork network, LstmNetwork.Workspace ws, double[] p, double[] x, double[] y) {
        network.forward(p, ws, x, LENGTH);
        return network.backward(p, ws, x, y, LOSS_FROM, LENGTH, new double[p.length]);
    }
}
