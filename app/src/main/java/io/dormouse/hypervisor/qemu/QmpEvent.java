package io.dormouse.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An asynchronous QMP event such as {@code STOP}, {@code RESUME}, {@code SHUTDOWN} or
 * {@code MIGRATION}, with QEMU's timestamp; {@code data} is an empty object for events
 * without data.
 */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {
}
