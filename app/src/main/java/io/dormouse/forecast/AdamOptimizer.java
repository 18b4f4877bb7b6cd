package io.dormouse.forecast;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1 with the bias correction folded into the step size)
 * over one flat parameter array, updated in place.
 */
final class AdamOptimizer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final double[] firstMoment;
    private final double[] secondMoment;
    private int updates;

    AdamOptimizer(int parameters) {
        this.firstMoment = new double[parameters];
        this.secondMoment = new double[parameters];
    }

    /** Moves {@code parameters} one step of size about {@code learningRate} against {@code gradient}. */
    void step(double[] parameters, double[] gradient, double learningRate) {
        updates++;
        double stepSize = learningRate * Math.sqrt(1 - Math.pow(BETA2, updates)) / (1 - Math.pow(BETA1, updates));
        for (int i = 0; i < parameters.length; i++) {
            double g = gradient[i];
            firstMoment[i] = BETA1 * firstMoment[i] + (1 - BETA1) * g;
            secondMoment[i] = BETA2 * secondMoment[i] + (1 - BETA2) * g * g;
            parameters[i] -= stepSize * firstMoment[i] / (Math.sqrt(secondMoment[i]) + EPSILON);
        }
    }
}
