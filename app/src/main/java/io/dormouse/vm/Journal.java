package io.dormouse.vm;

import io.dormouse.state.StateStore;
import io.dormouse.state.Transitions;
import io.dormouse.state.VmEvent;
import io.dormouse.state.VmRecord;
import java.net.Inet4Address;
import java.time.Duration;

/**
 * Writes a transition the way the lifecycle promises: the journal entry and the VM's intermediate state
 * before any side effect, the end state and the entry's outcome after, the fleet updated after each
 * database write.
 */
final class Journal {

    /** A transition under way: the VM as it is now, where it came from and where it goes. */
    record Step(long event, Vm vm, VmState from, VmState target, Reason reason, long startedNanos) {

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }
    }

    private final StateStore store;
    private final Fleet fleet;
    private final VmMetrics metrics;

    Journal(StateStore store, Fleet fleet, VmMetrics metrics) {
        this.store = store;
        this.fleet = fleet;
        this.metrics = metrics;
    }

    /** Records the start of {@code from → target} and moves the VM to {@code via} meanwhile: one commit. */
    Step begin(Vm vm, VmState via, VmState target, Reason reason) {
        Transitions.Begun begun = store.transitions().begin(row(vm), via.label(), target.label(), reason.label());
        Vm moved = vm.withState(via, vm.address(), vm.host(), begun.vm().updatedAt(), begun.vm().version());
        fleet.put(moved);
        return new Step(begun.event(), moved, vm.state(), target, reason, System.nanoTime());
    }

    /** The transition reached its target. */
    Vm succeed(Step step, Vm vm, Inet4Address address, String host) {
        Vm done = end(step, vm, step.target(), address, host, VmEvent.Outcome.SUCCEEDED, null);
        metrics.transition(step, VmEvent.Outcome.SUCCEEDED);
        return done;
    }

    /**
     * The transition failed: the VM goes to {@code back} (its former state when nothing was lost, else
     * Failed), and the entry records {@code error}.
     */
    Vm fail(Step step, Vm vm, VmState back, Inet4Address address, String host, String error) {
        VmEvent.Outcome outcome = back.equals(step.from()) ? VmEvent.Outcome.ROLLED_BACK : VmEvent.Outcome.FAILED;
        Vm after = end(step, vm, back, address, host, outcome, error);
        metrics.transition(step, VmEvent.Outcome.FAILED);
        return after;
    }

    private Vm end(Step step, Vm vm, VmState state, Inet4Address address, String host, VmEvent.Outcome outcome,
                   String error) {
        VmRecord row = store.transitions().complete(row(vm), state.label(), text(address), text(vm.frontAddress()),
                step.event(), outcome, error);
        Vm next = vm.withState(state, address, host, row.updatedAt(), row.version());
        fleet.put(next);
        return next;
    }

    /**
     * Records a move found rather than made (by the reconciler or the heartbeat): begun, written and
     * completed at once. {@code to} equal to the VM's state records an event without a move.
     */
    Vm record(Vm vm, VmState to, Reason reason, VmEvent.Outcome outcome, String error) {
        long event = store.vmEvents().begin(vm.id(), vm.state().label(), to.label(), reason.label());
        Vm after = to.equals(vm.state()) ? vm : write(vm, to, null, null);
        store.vmEvents().complete(event, outcome, error);
        return after;
    }

    /** Completes a transition left open by a stopped process. */
    void close(long event, VmEvent.Outcome outcome, String error) {
        store.vmEvents().complete(event, outcome, error);
    }

    /** Moves the VM's row and publishes the result to the fleet. */
    Vm write(Vm vm, VmState state, Inet4Address address, String host) {
        VmRecord row = store.vms().updateState(row(vm), state.label(), text(address), text(vm.frontAddress()));
        Vm next = vm.withState(state, address, host, row.updatedAt(), row.version());
        fleet.put(next);
        return next;
    }

    /** The VM's row as far as an update needs it: id, name, state, addresses and version. */
    private static VmRecord row(Vm vm) {
        return new VmRecord(vm.id(), vm.name(), vm.state().label(), null, text(vm.address()), text(vm.frontAddress()),
                vm.policy().priority(), vm.policy().slaClass().label(), vm.createdAt(), vm.updatedAt(), vm.version());
    }

    private static String text(Inet4Address address) {
        return address == null ? null : address.getHostAddress();
    }
}
