package io.dormouse.schedule;

import java.time.Duration;
import java.time.Instant;

/**
 * What the decider knows about one VM at one instant.
 *
 * @param now                 the instant of the decision
 * @param awake               true for a running VM, false for a hibernated one
 * @param since               when it reached its present state (came up, or went to sleep)
 * @param transitionsLastHour hibernations and wakes it made in the hour before {@code now}
 * @param activeConnections   connections open to it now, 0 when unknown
 * @param observed            observed demand per step, oldest first; the last value is the step ending at
 *                            {@code now}
 * @param predicted           predicted demand per step (the caller's chosen quantile, 0.9 in the live
 *                            loop); the first value is the step starting at {@code now}
 * @param step                the step of both series
 * @param restoreTime         how long waking it is expected to take
 */
public record Situation(Instant now, boolean awake, Instant since, int transitionsLastHour, int activeConnections,
                        Demand observed, Demand predicted, Duration step, Duration restoreTime) {

    public Situation {
        if (step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
        if (restoreTime.isNegative()) {
            throw new IllegalArgumentException("restoreTime must be 0 or more, got " + restoreTime);
        }
    }
}
