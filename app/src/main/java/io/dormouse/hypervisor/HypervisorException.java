package io.dormouse.hypervisor;

/**
 * A hypervisor operation that did not succeed, with the machine it concerned and what kind of
 * failure it was, so callers decide (retry, fall back to an older snapshot, report) by kind.
 */
public final class HypervisorException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** The spec cannot be started: a field is out of range, a file is missing, an address is taken. Nothing started. */
        INVALID_SPEC,
        /** The process did not start or did not become ready. */
        START_FAILED,
        /** Saving the state failed; the machine's previous saved state is untouched. */
        SAVE_FAILED,
        /** Restoring failed; the saved state is untouched and can be restored again. */
        RESTORE_FAILED,
        /** The saved state was written by another hypervisor version or other machine arguments. */
        INCOMPATIBLE_STATE,
        /** The machine's process ended while an operation was under way. */
        CRASHED,
        /** An operation did not finish within its time limit. */
        TIMEOUT,
        /** No running machine has that name, or the name is in use. */
        UNKNOWN_MACHINE
    }

    private final Kind kind;
    private final String machine;

    public HypervisorException(Kind kind, String machine, String message) {
        this(kind, machine, message, null);
    }

    public HypervisorException(Kind kind, String machine, String message, Throwable cause) {
        super("vm '" + machine + "': " + message, cause);
        this.kind = kind;
        this.machine = machine;
    }

    public Kind kind() {
        return kind;
    }

    /** The name of the machine concerned. */
    public String machine() {
        return machine;
    }
}
