package io.dormouse.vm;

import io.dormouse.state.StateStore;
import io.dormouse.state.VmEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the records back in step with reality: at start-up it finishes or rolls back every transition
 * left in flight and settles running VMs whose process is gone (hibernated at their last committed
 * version, or booted afresh when they have none); afterwards it does the same for VMs whose process is
 * found gone. A crash at any instant leaves each VM restorable from its last committed version.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final StateStore store;
    private final Fleet fleet;
    private final Lifecycle lifecycle;

    public Reconciler(StateStore store, Fleet fleet, Lifecycle lifecycle) {
        this.store = store;
        this.fleet = fleet;
        this.lifecycle = lifecycle;
    }

    /** What one pass did, one line per VM it touched. */
    public record Report(List<String> actions) {
    }

    /** The start-up pass: open transitions first, then running VMs without a process. */
    public Report atStartup() {
        List<String> actions = new ArrayList<>();
        lifecycle.dropLeftovers();
        for (VmEvent open : store.vmEvents().listOpen()) {
            fleet.byId(open.vmId()).ifPresent(vm -> {
                synchronized (lifecycle.lock(vm.name())) {
                    actions.add(settle(fleet.get(vm.name()), open));
                }
            });
        }
        actions.addAll(periodic().actions());
        lifecycle.reserveSleeping().forEach(vm -> actions.add(vm + ": room kept reserved while it sleeps, as its policy says"));
        actions.forEach(a -> LOG.atInfo().addKeyValue("reason", Reason.RECONCILE.label()).log(a));
        return new Report(actions);
    }

    /** Settles every running VM whose process is gone, unless it already is under a transition. */
    public Report periodic() {
        List<String> actions = new ArrayList<>();
        for (Vm vm : fleet.list()) {
            if (vm.state() instanceof VmState.Running && !lifecycle.hasMachine(vm.name())) {
                synchronized (lifecycle.lock(vm.name())) {
                    Vm now = fleet.get(vm.name());
                    if (now.state() instanceof VmState.Running && !lifecycle.hasMachine(now.name())) {
                        actions.add(orphaned(now));
                    }
                }
            }
        }
        return new Report(actions);
    }

    private String settle(Vm vm, VmEvent open) {
        Journal journal = lifecycle.journal();
        VmState target = VmState.of(open.toState());
        VmState from = VmState.of(open.fromState());
        if (vm.state().equals(target)) {
            journal.close(open.id(), VmEvent.Outcome.SUCCEEDED, "completed by the reconciler: the VM had reached "
                    + target.label());
            return vm.name() + ": " + from.label() + " → " + target.label() + " had finished; recorded";
        }
        return switch (vm.state()) {
            case VmState.Hibernating h -> {
                Optional<Vm.Saved> committed = store.snapshotVersions().latest(vm.id()).map(Fleet::saved);
                if (committed.isPresent() && !committed.get().at().isBefore(open.startedAt())) {
                    journal.write(vm.withSaved(committed.get()), VmState.HIBERNATED, null, null);
                    journal.close(open.id(), VmEvent.Outcome.SUCCEEDED, "finished by the reconciler: version "
                            + committed.get().version() + " had been committed");
                    yield vm.name() + ": hibernation had committed version " + committed.get().version() + "; hibernated";
                }
                yield lost(vm, open, "its hibernation was interrupted before a version was committed");
            }
            case VmState.Restoring r -> back(vm, open, from, "its restore was interrupted");
            case VmState.Provisioning p -> from instanceof VmState.Provisioning
                    ? fail(vm, open, "its first start was interrupted")
                    : back(vm, open, from, "its start was interrupted");
            case VmState.Stopping s -> {
                journal.write(vm, VmState.STOPPED, null, null);
                journal.close(open.id(), VmEvent.Outcome.SUCCEEDED, "finished by the reconciler: the process is gone");
                yield vm.name() + ": stop finished; stopped";
            }
            default -> {
                journal.close(open.id(), VmEvent.Outcome.ROLLED_BACK, "abandoned: the VM is " + vm.state().label());
                yield vm.name() + ": " + from.label() + " → " + target.label() + " abandoned; it stays "
                        + vm.state().label();
            }
        };
    }

    /** The process is gone: back to the last committed version when there is one, else booted afresh. */
    private String lost(Vm vm, VmEvent open, String why) {
        if (vm.saved() != null) {
            lifecycle.journal().write(vm, VmState.HIBERNATED, null, null);
            lifecycle.journal().close(open.id(), VmEvent.Outcome.ROLLED_BACK, why + "; back to version "
                    + vm.saved().version() + ", the last committed (what ran since is lost)");
            return vm.name() + ": " + why + "; hibernated at version " + vm.saved().version();
        }
        return fail(vm, open, why + " and it has no committed version");
    }

    private String back(Vm vm, VmEvent open, VmState from, String why) {
        lifecycle.journal().write(vm, from, null, null);
        lifecycle.journal().close(open.id(), VmEvent.Outcome.ROLLED_BACK, why + "; back to " + from.label());
        return vm.name() + ": " + why + "; " + from.label() + " again";
    }

    private String fail(Vm vm, VmEvent open, String why) {
        lifecycle.journal().write(vm, VmState.FAILED, null, null);
        lifecycle.journal().close(open.id(), VmEvent.Outcome.FAILED, why);
        return vm.name() + ": " + why + "; failed, " + bootAfresh(vm);
    }

    /**
     * A VM meant to run whose process is gone and that has no version to go back to: the server stopped
     * it, not the VM itself, so it boots again rather than waiting as Failed for an operator.
     */
    private String bootAfresh(Vm vm) {
        try {
            lifecycle.start(vm.name(), Reason.RECONCILE);
            return "booting it afresh";
        } catch (VmException e) {
            return "and it cannot boot afresh: " + e.getMessage();
        }
    }

    private String orphaned(Vm vm) {
        String why = "its process is gone (it ended while nobody watched, or with a previous server)";
        if (vm.saved() != null) {
            lifecycle.journal().record(vm, VmState.HIBERNATED, Reason.RECONCILE, VmEvent.Outcome.FAILED, why
                    + "; back to version " + vm.saved().version() + ", the last committed (what ran since is lost)");
            return vm.name() + ": " + why + "; hibernated at version " + vm.saved().version();
        }
        lifecycle.journal().record(vm, VmState.FAILED, Reason.RECONCILE, VmEvent.Outcome.FAILED, why
                + " and it has no committed version");
        return vm.name() + ": " + why + "; failed, " + bootAfresh(vm);
    }
}
