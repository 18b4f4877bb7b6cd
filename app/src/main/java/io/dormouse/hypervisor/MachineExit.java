package io.dormouse.hypervisor;

/**
 * How a machine's process ended.
 *
 * @param detail the exit status and the last lines of the process's log, for crashes
 */
public record MachineExit(String machine, Reason reason, String detail) {

    public enum Reason {
        /** Stopped on request. */
        STOPPED,
        /** Ended after its state was saved. */
        HIBERNATED,
        /** Ended without being asked to: killed, failed, or the guest powered off. */
        CRASHED
    }
}
