package io.dormouse.vm;

import java.util.Locale;

/** Why a transition was asked for; recorded with it and used as a metric tag. */
public enum Reason {
    /** An operator, through the REST API or the CLI. */
    API,
    /** A DNS query for a hibernated VM. */
    DNS,
    /** A connection to the VM's front address. */
    FRONT,
    /** The scheduler, ahead of forecast demand or after idleness. */
    SCHEDULE,
    /** Another VM of higher priority needed the room. */
    PREEMPT,
    /** The reconciler, putting records and reality back in step. */
    RECONCILE,
    /** The server stopping cleanly, as {@code vm.on-stop} says. */
    SHUTDOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
