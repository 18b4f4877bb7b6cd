package io.dormouse.state;

import java.time.Instant;

/**
 * A decision of the scheduler for one VM: {@code action} hibernate or wake-ahead, its {@code cause}
 * and the words of its {@code reason}; {@code acted} is false when it was only logged (forecast-only
 * mode, or a wake deferred for capacity).
 */
public record ScheduleDecision(long id, long vmId, Instant at, String action, String cause, String reason,
                               boolean acted) {
}
