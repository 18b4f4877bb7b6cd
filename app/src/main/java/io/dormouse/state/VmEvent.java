package io.dormouse.state;

import java.time.Duration;
import java.time.Instant;

/**
 * One lifecycle transition of a VM: recorded when it starts, completed when it ends. A transition
 * without {@code completedAt} is in flight, or was when the process stopped.
 *
 * @param completedAt null while in flight
 * @param duration    null while in flight
 * @param outcome     null while in flight
 * @param error       what went wrong; null unless the outcome says so
 */
public record VmEvent(long id, long vmId, String fromState, String toState, String reason, Instant startedAt,
                      Instant completedAt, Duration duration, Outcome outcome, String error) {

    /** How a transition ended. */
    public enum Outcome {
        /** The VM reached the target state. */
        SUCCEEDED,
        /** The side effects failed; {@code error} says how. */
        FAILED,
        /** Abandoned (for example after a crash) and the VM put back in its former state. */
        ROLLED_BACK
    }

    public boolean inFlight() {
        return completedAt == null;
    }
}
