package io.dormouse.front;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;

/**
 * A VM as the front door sees it: where it listens for it, and where (if anywhere) to send its
 * connections now.
 *
 * @param id      the VM's database id, by which telemetry asks for its traffic
 * @param front   the VM's stable front address
 * @param ports   its declared TCP ports, each listened on at {@code front}
 * @param address where it answers while {@link Readiness#UP}, else null
 * @param state   its lifecycle state's label, for the log
 */
record Target(long id, String vm, Inet4Address front, List<Integer> ports, Readiness readiness, Inet4Address address,
              String state) {

    /** What a connection to the VM gets now. */
    enum Readiness {
        /** Running and healthy: spliced at once. */
        UP,
        /** Hibernated, hibernating or being restored or started: woken and held. */
        ASLEEP,
        /** Stopped, failed or unhealthy: closed. */
        DOWN
    }

    Target {
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(front, "front of " + vm);
        ports = List.copyOf(ports);
        Objects.requireNonNull(readiness, "readiness of " + vm);
        if (readiness == Readiness.UP && address == null) {
            throw new IllegalArgumentException("address of " + vm + " is missing, and it is up");
        }
    }
}
