package io.dormouse.vm;

import io.dormouse.alloc.SlaClass;
import java.util.Objects;

/**
 * How the VM manager treats a VM when capacity is short or the VM stops answering.
 *
 * @param priority     0 or more; higher is served first within an SLA class and may preempt lower
 * @param keepReserved keep the VM's room on its host while it sleeps, so its restore never waits
 * @param onUnhealthy  what to do when its heartbeat fails
 */
public record Policy(int priority, SlaClass slaClass, boolean keepReserved, OnUnhealthy onUnhealthy) {

    /** What to do with a running VM that misses its heartbeats. */
    public enum OnUnhealthy {
        /** Leave it running; DNS stops answering for it until it answers probes again. */
        KEEP,
        /** Stop its process and boot it afresh. */
        RESTART,
        /** Stop its process and restore its last committed snapshot version. */
        RESTORE
    }

    public Policy {
        if (priority < 0 || priority > 1000) {
            throw new IllegalArgumentException("priority must be 0 to 1000, got " + priority);
        }
        Objects.requireNonNull(slaClass, "slaClass");
        Objects.requireNonNull(onUnhealthy, "onUnhealthy");
    }
}
