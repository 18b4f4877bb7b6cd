package io.dormouse.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * One demand trace on the simulator's grid of {@link #STEP}: {@code values[i]} is the trace's own
 * measure (CPU %, requests, mentions) at {@code start + i * STEP}, with no missing steps.
 */
public record Trace(String name, Instant start, double[] values) {

    /** The simulator's decision step: one forecast value, one scheduler decision per VM. */
    public static final Duration STEP = Duration.ofMinutes(5);
    /** Steps in one day at {@link #STEP}. */
    public static final int STEPS_PER_DAY = (int) (Duration.ofDays(1).toNanos() / STEP.toNanos());

    public Trace {
        if (values.length == 0) {
            throw new SimulationException("trace " + name + " has no steps");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new SimulationException("trace " + name + " step " + i + " is " + values[i] + ": values must be finite");
            }
        }
        values = values.clone();
    }

    public int size() {
        return values.length;
    }
}
