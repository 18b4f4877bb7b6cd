package io.dormouse.forecast;

/**
 * What to do with steps of the grid that received no sample. Chosen explicitly by the caller:
 * a gap is never closed by shifting later samples.
 */
public sealed interface GapPolicy {

    /** Refuse the samples, naming the first gap. */
    record Refuse() implements GapPolicy {
    }

    /** Keep the gap as {@code NaN}: models treat it as missing. */
    record MarkMissing() implements GapPolicy {
    }

    /**
     * Fill gaps of at most {@code maxSteps} steps by linear interpolation between the steps on either
     * side; longer gaps stay {@code NaN} (marked missing).
     */
    record Interpolate(int maxSteps) implements GapPolicy {
        public Interpolate {
            if (maxSteps < 1) {
                throw new ForecastException("Interpolate.maxSteps must be at least 1, got " + maxSteps);
            }
        }
    }

    static GapPolicy refuse() {
        return new Refuse();
    }

    static GapPolicy markMissing() {
        return new MarkMissing();
    }

    static GapPolicy interpolate(int maxSteps) {
        return new Interpolate(maxSteps);
    }
}
