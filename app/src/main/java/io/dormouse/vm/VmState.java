package io.dormouse.vm;

import java.util.List;
import java.util.Set;

/**
 * Where a VM is in its lifecycle. The allowed moves follow the lifecycle diagram in
 * {@code docs/architecture.md}, plus the two roll-backs of a failed hibernation or restore.
 */
public sealed interface VmState {

    Provisioning PROVISIONING = new Provisioning();
    Running RUNNING = new Running();
    Hibernating HIBERNATING = new Hibernating();
    Hibernated HIBERNATED = new Hibernated();
    Restoring RESTORING = new Restoring();
    Stopping STOPPING = new Stopping();
    Stopped STOPPED = new Stopped();
    Failed FAILED = new Failed();
    Terminated TERMINATED = new Terminated();

    /** Every state, in lifecycle order. */
    List<VmState> ALL = List.of(PROVISIONING, RUNNING, HIBERNATING, HIBERNATED, RESTORING, STOPPING, STOPPED, FAILED,
            TERMINATED);

    /** The process is being started (a new VM, or a stopped or failed one started again). */
    record Provisioning() implements VmState {
    }

    record Running() implements VmState {
    }

    /** Its state is being saved and committed; the process ends when that is done. */
    record Hibernating() implements VmState {
    }

    /** No process; its state is a committed snapshot version. */
    record Hibernated() implements VmState {
    }

    /** A snapshot version is being materialized and restored into a new process. */
    record Restoring() implements VmState {
    }

    record Stopping() implements VmState {
    }

    /** Shut down without saving its memory; starting it boots it afresh. */
    record Stopped() implements VmState {
    }

    /** Its process died or a transition failed; the transition's record says why. */
    record Failed() implements VmState {
    }

    /** Gone for good; kept in the journal only. */
    record Terminated() implements VmState {
    }

    /** The lower-case name the state database, the API and DNS use. */
    default String label() {
        return switch (this) {
            case Provisioning p -> "provisioning";
            case Running r -> "running";
            case Hibernating h -> "hibernating";
            case Hibernated h -> "hibernated";
            case Restoring r -> "restoring";
            case Stopping s -> "stopping";
            case Stopped s -> "stopped";
            case Failed f -> "failed";
            case Terminated t -> "terminated";
        };
    }

    /** The states this one may move to. */
    default Set<VmState> next() {
        return switch (this) {
            case Provisioning p -> Set.of(RUNNING, FAILED);
            case Running r -> Set.of(HIBERNATING, STOPPING, FAILED);
            // back to Running: the save failed and the guest was resumed
            case Hibernating h -> Set.of(HIBERNATED, RUNNING, FAILED);
            case Hibernated h -> Set.of(RESTORING, TERMINATED, FAILED);
            // back to Hibernated: the restore failed before the guest ran; its version is intact
            case Restoring r -> Set.of(RUNNING, HIBERNATED, FAILED);
            case Stopping s -> Set.of(STOPPED, FAILED);
            case Stopped s -> Set.of(PROVISIONING, TERMINATED, FAILED);
            // a failed VM is started afresh, or restored from its last committed version
            case Failed f -> Set.of(PROVISIONING, RESTORING, TERMINATED);
            case Terminated t -> Set.of();
        };
    }

    default boolean canMoveTo(VmState target) {
        return next().contains(target);
    }

    /** True while a transition is under way: the VM's row says so until the transition completes. */
    default boolean inTransition() {
        return this instanceof Provisioning || this instanceof Hibernating || this instanceof Restoring
                || this instanceof Stopping;
    }

    /**
     * The state called {@code label}, case-insensitive.
     *
     * @throws IllegalArgumentException naming the allowed labels
     */
    static VmState of(String label) {
        for (VmState s : ALL) {
            if (s.label().equalsIgnoreCase(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("state must be one of " + ALL.stream().map(VmState::label).toList()
                + ", got '" + label + "'");
    }
}
