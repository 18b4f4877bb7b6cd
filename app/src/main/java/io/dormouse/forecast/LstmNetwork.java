package io.dormouse.forecast;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Stacked LSTM cells (Hochreiter &amp; Schmidhuber 1997, with the forget gate of Gers et al. 2000)
 * under a linear head that emits the {@link Forecast#LEVELS} quantiles at every step, with its
 * gradient by backpropagation through time of the summed pinball (quantile) loss
 * (Koenker &amp; Bassett 1978). The quantiles are kept from crossing by construction: the head's
 * first output is the median and the next two are softplus increments on top of it.
 *
 * <p>Holds only the shape; the weights live in one flat {@code double[]} passed to each call, so
 * the trainer updates them in place and a fitted model shares this instance between threads.
 * Layer {@code l} owns a row-major {@code 4H x (in + H + 1)} block (gates i, f, g, o; columns
 * input, previous hidden state, bias), then the head owns {@code 3 x (H + 1)}.
 */
final class LstmNetwork {

    private static final double[] LEVELS = Forecast.LEVELS.clone();
    static final int QUANTILES = LEVELS.length;

    private final int inputs;
    private final int hidden;
    private final int layers;
    private final int[] layerOffset;
    private final int headOffset;
    private final int parameterCount;

    LstmNetwork(int inputs, int hidden, int layers) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.layers = layers;
        this.layerOffset = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++) {
            layerOffset[l] = offset;
            offset += 4 * hidden * columns(l);
        }
        this.headOffset = offset;
        this.parameterCount = offset + QUANTILES * (hidden + 1);
    }

    int parameterCount() {
        return parameterCount;
    }

    int inputs() {
        return inputs;
    }

    /**
     * Uniform weights in +-1/sqrt(fan-in), zero biases except the forget gate's at 1, so that
     * the cell starts out remembering (Jozefowicz et al. 2015).
     */
    double[] initialParameters(RandomGenerator random) {
        double[] p = new double[parameterCount];
        for (int l = 0; l < layers; l++) {
            int cols = columns(l);
            double bound = 1.0 / Math.sqrt(cols - 1);
            for (int r = 0; r < 4 * hidden; r++) {
                int row = layerOffset[l] + r * cols;
                for (int j = 0; j < cols - 1; j++) {
                    p[row + j] = random.nextDouble(-bound, bound);
                }
                p[row + cols - 1] = (r >= hidden && r < 2 * hidden) ? 1.0 : 0.0;
            }
        }
        double bound = 1.0 / Math.sqrt(hidden);
        for (int r = 0; r < QUANTILES; r++) {
            int row = headOffset + r * (hidden + 1);
            for (int k = 0; k < hidden; k++) {
                p[row + k] = random.nextDouble(-bound, bound);
            }
        }
        return p;
    }

    Workspace workspace(int maxLength) {
        return new Workspace(maxLength);
    }

    /**
     * Runs the network from a zero state over {@code length} steps of inputs {@code x}
     * ({@code length x inputs}, row-major); the quantiles of step {@code t} end up in
     * {@code ws.quantile(t, q)}.
     */
    void forward(double[] p, Workspace ws, double[] x, int length) {
        int h4 = 4 * hidden;
        for (int l = 0; l < layers; l++) {
            int in = inputsOf(l);
            int cols = in + hidden + 1;
            int off = layerOffset[l];
            double[] input = l == 0 ? x : ws.h[l - 1];
            double[] gates = ws.gates[l];
            double[] cell = ws.cell[l];
            double[] tanhCell = ws.tanhCell[l];
            double[] h = ws.h[l];
            for (int t = 0; t < length; t++) {
                int ib = t * in;
                int hb = t * hidden;
                double[] hPrev = t > 0 ? h : ws.zeros;
                double[] cPrev = t > 0 ? cell : ws.zeros;
                int pb = t > 0 ? hb - hidden : 0;
                int gb = t * h4;
                for (int r = 0; r < h4; r++) {
                    int row = off + r * cols;
                    double s = p[row + in + hidden] + dot(p, row, input, ib, in) + dot(p, row + in, hPrev, pb, hidden);
                    gates[gb + r] = (r >= 2 * hidden && r < 3 * hidden) ? tanh(s) : sigmoid(s);
                }
                for (int k = 0; k < hidden; k++) {
                    double c = gates[gb + hidden + k] * cPrev[pb + k] + gates[gb + k] * gates[gb + 2 * hidden + k];
                    double tc = tanh(c);
                    cell[hb + k] = c;
                    tanhCell[hb + k] = tc;
                    h[hb + k] = gates[gb + 3 * hidden + k] * tc;
                }
            }
        }
        double[] top = ws.h[layers - 1];
        for (int t = 0; t < length; t++) {
            int hb = t * hidden;
            int qb = t * QUANTILES;
            for (int r = 0; r < QUANTILES; r++) {
                int row = headOffset + r * (hidden + 1);
                ws.raw[qb + r] = p[row + hidden] + dot(p, row, top, hb, hidden);
            }
            ws.out[qb] = ws.raw[qb];
            for (int q = 1; q < QUANTILES; q++) {
                ws.out[qb + q] = ws.out[qb + q - 1] + softplus(ws.raw[qb + q]);
            }
        }
    }

    /**
     * After {@link #forward} on the same inputs: adds to {@code grad} the gradient of the pinball
     * loss summed over the quantiles and over steps {@code t >= from} whose target {@code y[t]}
     * is observed (not NaN), and returns that loss.
     */
    double backward(double[] p, Workspace ws, double[] x, double[] y, int from, int length, double[] grad) {
        double loss = headBackward(p, ws, y, from, length, grad);
        for (int l = layers - 1; l >= 0; l--) {
            layerBackward(p, ws, x, l, length, grad);
            double[] swap = ws.dUpper;
            ws.dUpper = ws.dLower;
            ws.dLower = swap;
        }
        return loss;
    }

    private double headBackward(double[] p, Workspace ws, double[] y, int from, int length, double[] grad) {
        double[] dh = ws.dUpper;
        Arrays.fill(dh, 0, length * hidden, 0.0);
        double[] top = ws.h[layers - 1];
        double[] dq = ws.dq;
        double loss = 0;
        for (int t = from; t < length; t++) {
            if (Double.isNaN(y[t])) {
                continue;
            }
            int qb = t * QUANTILES;
            for (int q = 0; q < QUANTILES; q++) {
                double u = y[t] - ws.out[qb + q];
                loss += u >= 0 ? LEVELS[q] * u : (LEVELS[q] - 1) * u;
                dq[q] = u > 0 ? -LEVELS[q] : (u < 0 ? 1 - LEVELS[q] : 0);
            }
            // out0 = a0, out1 = out0 + softplus(a1), out2 = out1 + softplus(a2)
            // out[q] = raw[0] + sum of softplus(raw[k]) for 0 < k <= q, so raw[q] moves every out[k >= q]
            double above = 0;
            for (int q = QUANTILES - 1; q >= 0; q--) {
                above += dq[q];
                ws.da[q] = q == 0 ? above : above * sigmoid(ws.raw[qb + q]);
            }
            int hb = t * hidden;
            for (int r = 0; r < QUANTILES; r++) {
                double d = ws.da[r];
                int row = headOffset + r * (hidden + 1);
                for (int k = 0; k < hidden; k++) {
                    grad[row + k] += d * top[hb + k];
                    dh[hb + k] += d * p[row + k];
                }
                grad[row + hidden] += d;
            }
        }
        return loss;
    }

    /** Backpropagates {@code ws.dUpper} (loss gradient by this layer's h) through time into the weights and {@code ws.dLower}. */
    private void layerBackward(double[] p, Workspace ws, double[] x, int l, int length, double[] grad) {
        int in = inputsOf(l);
        int cols = in + hidden + 1;
        int off = layerOffset[l];
        int h4 = 4 * hidden;
        double[] input = l == 0 ? x : ws.h[l - 1];
        double[] gates = ws.gates[l];
        double[] cell = ws.cell[l];
        double[] tanhCell = ws.tanhCell[l];
        double[] h = ws.h[l];
        double[] dUpper = ws.dUpper;
        double[] dLower = l > 0 ? ws.dLower : null;
        if (dLower != null) {
            Arrays.fill(dLower, 0, length * hidden, 0.0);
        }
        double[] dhNext = ws.dhNext;
        double[] dcNext = ws.dcNext;
        double[] dz = ws.dz;
        Arrays.fill(dhNext, 0.0);
        Arrays.fill(dcNext, 0.0);
        for (int t = length - 1; t >= 0; t--) {
            int hb = t * hidden;
            int gb = t * h4;
            for (int k = 0; k < hidden; k++) {
                double i = gates[gb + k];
                double f = gates[gb + hidden + k];
                double g = gates[gb + 2 * hidden + k];
                double o = gates[gb + 3 * hidden + k];
                double tc = tanhCell[hb + k];
                double cPrev = t > 0 ? cell[hb - hidden + k] : 0.0;
                double dh = dUpper[hb + k] + dhNext[k];
                double dc = dcNext[k] + dh * o * (1 - tc * tc);
                dz[k] = dc * g * i * (1 - i);
                dz[hidden + k] = dc * cPrev * f * (1 - f);
                dz[2 * hidden + k] = dc * i * (1 - g * g);
                dz[3 * hidden + k] = dh * tc * o * (1 - o);
                dcNext[k] = dc * f;
            }
            Arrays.fill(dhNext, 0.0);
            int ib = t * in;
            double[] hPrev = t > 0 ? h : ws.zeros;
            int pb = t > 0 ? hb - hidden : 0;
            for (int r = 0; r < h4; r++) {
                double d = dz[r];
                int row = off + r * cols;
                for (int j = 0; j < in; j++) {
                    grad[row + j] += d * input[ib + j];
                }
                if (dLower != null) {
                    for (int j = 0; j < in; j++) {
                        dLower[ib + j] += d * p[row + j];
                    }
                }
                for (int k = 0; k < hidden; k++) {
                    grad[row + in + k] += d * hPrev[pb + k];
                    dhNext[k] += d * p[row + in + k];
                }
                grad[row + in + hidden] += d;
            }
        }
    }

    private int inputsOf(int layer) {
        return layer == 0 ? inputs : hidden;
    }

    private int columns(int layer) {
        return inputsOf(layer) + hidden + 1;
    }

    /**
     * Four interleaved partial sums: a single running sum is one long chain of dependent
     * additions, which the JIT may not reorder, and it dominated the forward pass.
     */
    private static double dot(double[] a, int ai, double[] b, int bi, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ai + i] * b[bi + i];
            s1 += a[ai + i + 1] * b[bi + i + 1];
            s2 += a[ai + i + 2] * b[bi + i + 2];
            s3 += a[ai + i + 3] * b[bi + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ai + i] * b[bi + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double sigmoid(double s) {
        return 1.0 / (1.0 + Math.exp(-s));
    }

    /** Through {@code exp}, which is about twice as fast as {@code Math.tanh} here; exact to rounding. */
    private static double tanh(double s) {
        return 2.0 / (1.0 + Math.exp(-2.0 * s)) - 1.0;
    }

    private static double softplus(double a) {
        return a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
    }

    /** Activations and gradient buffers for sequences up to a fixed length, reused across calls by one thread. */
    final class Workspace {
        private final double[][] gates = new double[layers][];
        private final double[][] cell = new double[layers][];
        private final double[][] tanhCell = new double[layers][];
        private final double[][] h = new double[layers][];
        private final double[] raw;
        private final double[] out;
        private final double[] zeros = new double[hidden];
        private final double[] dq = new double[QUANTILES];
        private final double[] da = new double[QUANTILES];
        private final double[] dhNext = new double[hidden];
        private final double[] dcNext = new double[hidden];
        private final double[] dz = new double[4 * hidden];
        private double[] dUpper;
        private double[] dLower;

        private Workspace(int maxLength) {
            for (int l = 0; l < layers; l++) {
                gates[l] = new double[maxLength * 4 * hidden];
                cell[l] = new double[maxLength * hidden];
                tanhCell[l] = new double[maxLength * hidden];
                h[l] = new double[maxLength * hidden];
            }
            raw = new double[maxLength * QUANTILES];
            out = new double[maxLength * QUANTILES];
            dUpper = new double[maxLength * hidden];
            dLower = new double[maxLength * hidden];
        }

        double quantile(int t, int q) {
            return out[t * QUANTILES + q];
        }
    }
}
