package io.dormouse.state;

import java.time.Instant;

/**
 * A VM as the state database holds it. {@code version} counts the row's updates: a change is
 * accepted only against the version it was read at (optimistic locking).
 *
 * @param address      null until the VM has one
 * @param frontAddress null until the VM has one
 */
public record VmRecord(long id, String name, String state, String spec, String address, String frontAddress,
                       int priority, String slaClass, Instant createdAt, Instant updatedAt, long version) {
}
