package io.dormouse.sim;

import java.util.Arrays;

/**
 * Turns a trace's values into requests per step. Traces measure different things (CPU %, bytes,
 * mentions), so each is first put on its own scale: level 0 at its minimum, 1 at its 99th
 * percentile. A VM with demand scale {@code s} then sees {@code floor(level * PEAK * s)} requests: at
 * scale 1 a step is busy from a tenth of the way up, the threshold the forecasters' idle queries use,
 * and quiet (no request at all) below it.
 */
final class RequestScale {

    /** Requests per step at a trace's 99th percentile, for a VM of scale 1. */
    static final double PEAK = 10;

    private final double[] levels;

    private RequestScale(double[] levels) {
        this.levels = levels;
    }

    static RequestScale of(Trace trace) {
        double[] sorted = trace.values().clone();
        Arrays.sort(sorted);
        double min = sorted[0];
        double p99 = sorted[(int) Math.floor(0.99 * (sorted.length - 1))];
        double span = p99 - min;
        double[] levels = new double[trace.size()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = span > 0 ? (trace.values()[i] - min) / span : 0;
        }
        return new RequestScale(levels);
    }

    /** Requests from step {@code shift} of the trace on, read as a loop, scaled by {@code scale}. */
    void fill(int shift, double scale, int[] requests) {
        double factor = PEAK * scale;
        for (int t = 0; t < requests.length; t++) {
            requests[t] = (int) Math.min(Integer.MAX_VALUE, Math.floor(levels[(shift + t) % levels.length] * factor));
        }
    }
}
