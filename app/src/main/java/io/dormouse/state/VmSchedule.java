package io.dormouse.state;

import java.time.Instant;

/**
 * A VM's schedule as stored: its policy and its tuned thresholds, each a JSON document the scheduler
 * reads and writes (null when not set).
 */
public record VmSchedule(long vmId, String policy, String tuned, Instant updatedAt) {
}
