package io.dormouse.state;

/**
 * A lifecycle transition's two writes, each a single transaction: its journal entry with the VM's
 * intermediate state, and the VM's end state with the entry's outcome. Half the commits of writing
 * them one by one, and no moment where the row and the journal disagree.
 */
public final class Transitions {

    /** A begun transition: its journal id and the VM's row as it is now. */
    public record Begun(long event, VmRecord vm) {
    }

    private final Database database;
    private final VmRecords vms;
    private final VmEvents events;

    Transitions(Database database, VmRecords vms, VmEvents events) {
        this.database = database;
        this.vms = vms;
        this.events = events;
    }

    /**
     * Records that {@code current} starts moving to {@code toState} and moves its row to {@code via} meanwhile.
     *
     * @throws StateException as {@link VmRecords#updateState(VmRecord, String)} and {@link VmEvents#begin} do
     */
    public Begun begin(VmRecord current, String via, String toState, String reason) {
        Require.text("via", via);
        Require.text("toState", toState);
        Require.text("reason", reason);
        return database.write("beginning the transition of VM " + current.name() + " from " + current.state()
                + " to " + toState, handle -> {
                    long event = events.insert(handle, current.id(), current.state(), toState, reason);
                    return new Begun(event, vms.update(handle, current, via, current.address(), current.frontAddress()));
                });
    }

    /**
     * Moves {@code current} to {@code state} with these addresses and completes transition {@code event}.
     *
     * @param error what went wrong, or null
     */
    public VmRecord complete(VmRecord current, String state, String address, String frontAddress, long event,
                             VmEvent.Outcome outcome, String error) {
        Require.text("state", state);
        if (outcome == null) {
            throw new IllegalArgumentException("outcome of transition " + event + " is missing");
        }
        return database.write("completing transition " + event + " of VM " + current.name() + " as " + outcome,
                handle -> {
                    VmRecord after = vms.update(handle, current, state, address, frontAddress);
                    events.complete(handle, event, outcome, error);
                    return after;
                });
    }
}
