package io.dormouse.vm;

import io.dormouse.alloc.Allocator;
import io.dormouse.alloc.AllocException;
import io.dormouse.config.VmConfig;
import io.dormouse.hypervisor.Hypervisor;
import io.dormouse.hypervisor.Machine;
import io.dormouse.hypervisor.MachineExit;
import io.dormouse.hypervisor.SavedState;
import io.dormouse.snapshot.SnapshotStore;
import io.dormouse.snapshot.Version;
import io.dormouse.state.NewVm;
import io.dormouse.state.SnapshotVersion;
import io.dormouse.state.StateStore;
import io.dormouse.state.VmRecord;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that changes a VM's state. Each call checks the move and records it before any side
 * effect (refusing an illegal move with nothing changed), then runs the side effects on a virtual
 * thread and records how they ended.
 */
public final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** A transition under way: the VM as it was when it began, and the VM once it ended. */
    public record Pending(Vm vm, CompletableFuture<Vm> done) {

        /** Waits for the transition's end. @throws VmException how it failed */
        public Vm await() {
            try {
                return done.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }

    private final StateStore store;
    private final Fleet fleet;
    private final Hypervisor hypervisor;
    private final SnapshotStore snapshots;
    private final VersionFiles files;
    private final Allocator allocator;
    private final Journal journal;
    private final VmMetrics metrics;
    private final List<Consumer<String>> leaving = new CopyOnWriteArrayList<>();
    private final VmConfig config;
    private final WorkDirs dirs;
    private final Room room;
    private final Map<String, Machine> machines = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Set<Long> restoredBefore = ConcurrentHashMap.newKeySet();

    /** Restores materialize each version straight from {@code snapshots} into their run directory. */
    public Lifecycle(StateStore store, Fleet fleet, Hypervisor hypervisor, SnapshotStore snapshots, Allocator allocator,
                     VmMetrics metrics, VmConfig config, Path workDir) {
        this(store, fleet, hypervisor, snapshots, VersionFiles.direct(snapshots), allocator, metrics, config, workDir);
    }

    /** Restores get their version's files from {@code files}, told when a VM's versions change. */
    public Lifecycle(StateStore store, Fleet fleet, Hypervisor hypervisor, SnapshotStore snapshots, VersionFiles files,
                     Allocator allocator, VmMetrics metrics, VmConfig config, Path workDir) {
        this.store = store;
        this.fleet = fleet;
        this.hypervisor = hypervisor;
        this.snapshots = snapshots;
        this.files = files;
        this.allocator = allocator;
        this.metrics = metrics;
        this.config = config;
        this.journal = new Journal(store, fleet, metrics);
        this.dirs = new WorkDirs(workDir);
        this.room = new Room(allocator, config.roomWait());
        hypervisor.addExitListener(this::exited);
    }

    /**
     * Has {@code listener} told the name of each running VM about to be paused or stopped (hibernated,
     * stopped or failed), before its process is touched, so that new connections stop going straight to it.
     */
    public void addLeavingListener(Consumer<String> listener) {
        leaving.add(listener);
    }

    /**
     * Records a new VM and boots it.
     *
     * @throws VmException DUPLICATE, INVALID_SPEC or OVER_CAPACITY, with nothing recorded
     */
    public Pending create(String name, VmDefinition definition, Reason reason) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new VmException(VmException.Kind.INVALID_SPEC, name, "name must be 1-63 of a-z, 0-9, '-' starting"
                    + " with a letter or digit (it is the VM's DNS label), got " + (name == null ? "null" : "'" + name + "'"));
        }
        Journal.Step step;
        synchronized (lock(name)) {
            if (fleet.find(name).isPresent()) {
                throw new VmException(VmException.Kind.DUPLICATE, name, "a VM named " + name
                        + " exists already; choose another name, or terminate that VM first");
            }
            try {
                allocator.check(name, definition.needs());
            } catch (AllocException e) {
                throw new VmException(VmException.Kind.OVER_CAPACITY, name, e.getMessage(), e);
            }
            VmRecord row = store.vms().insert(new NewVm(name, VmState.PROVISIONING.label(),
                    Definitions.write(definition), null, null, definition.priority(), definition.slaClass()));
            Vm vm = fleet.fromRow(row).withFrontAddress(fleet.frontAddress(row.id()));
            step = journal.begin(vm, VmState.PROVISIONING, VmState.RUNNING, reason);
        }
        return async(step, () -> boot(step));
    }

    /** Boots a stopped or failed VM afresh. @throws VmException NOT_FOUND or ILLEGAL_TRANSITION */
    public Pending start(String name, Reason reason) {
        Journal.Step step = begin(name, VmState.PROVISIONING, VmState.RUNNING, reason);
        return async(step, () -> boot(step));
    }

    /** Shuts a running VM down without saving its memory. */
    public Pending stop(String name, Reason reason) {
        Journal.Step step = begin(name, VmState.STOPPING, VmState.STOPPED, reason);
        return async(step, () -> {
            Machine machine = machines.remove(name);
            if (machine != null) {
                hypervisor.stop(machine);
            }
            allocator.release(name);
            dirs.dropRun(step.vm().id());
            return journal.succeed(step, step.vm(), null, null);
        });
    }

    /**
     * Saves a running VM's state as its next snapshot version and ends its process; its room is released,
     * or kept when its policy says so.
     */
    public Pending hibernate(String name, Reason reason) {
        Journal.Step step = begin(name, VmState.HIBERNATING, VmState.HIBERNATED, reason);
        return async(step, () -> save(step));
    }

    /**
     * Restores a hibernated (or failed) VM from {@code version}, or from its newest version when empty.
     *
     * @throws VmException NOT_FOUND when the VM or the version does not exist, ILLEGAL_TRANSITION when the
     *                     VM is not hibernated or failed
     */
    public Pending restore(String name, OptionalLong version, Reason reason) {
        Vm current = fleet.get(name);
        Vm.Saved saved = chosen(current, version);
        Journal.Step step = begin(name, VmState.RESTORING, VmState.RUNNING, reason);
        return async(step, () -> bringBack(step, saved));
    }

    /** The VM running: at once when it runs, else once its newest version is restored. Blocks. */
    public Vm wake(String name, Reason reason) {
        Vm vm = fleet.get(name);
        long deadline = System.nanoTime() + config.readyTimeout().toNanos();
        // a hibernation under way ends first; a start or restore under way is joined
        while (vm.state().inTransition() && !(vm.state() instanceof VmState.Stopping) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VmException(VmException.Kind.FAILED, name, "interrupted while VM " + name + " was "
                        + vm.state().label(), e);
            }
            vm = fleet.get(name);
        }
        if (vm.state() instanceof VmState.Running) {
            return vm;
        }
        return restore(name, OptionalLong.empty(), reason).await();
    }

    /** Forgets a VM for good: only hibernated, stopped and failed VMs; its journal stays. */
    public Pending terminate(String name, Reason reason) {
        Journal.Step step = begin(name, VmState.TERMINATED, VmState.TERMINATED, reason);
        allocator.release(name);
        dirs.dropAll(step.vm().id());
        files.forget(step.vm().id());
        hypervisor.discardPrepared(name);
        Vm done = journal.succeed(step, step.vm(), null, null);
        return new Pending(step.vm(), CompletableFuture.completedFuture(done));
    }

    /** Marks a VM Failed with {@code why}, ending its process if it still runs. */
    public Vm fail(String name, Reason reason, String why) {
        Journal.Step step = begin(name, VmState.FAILED, VmState.FAILED, reason);
        Machine machine = machines.remove(name);
        if (machine != null) {
            hypervisor.stop(machine);
        }
        allocator.release(name);
        LOG.atWarn().addKeyValue("vm", name).addKeyValue("reason", reason.label()).log("VM failed: " + why);
        return journal.fail(step, step.vm(), VmState.FAILED, null, null, why);
    }

    /** Whether the VM has a live process this lifecycle started. */
    public boolean hasMachine(String name) {
        Machine m = machines.get(name);
        return m != null && m.isRunning();
    }

    Journal journal() {
        return journal;
    }

    /** Deletes saves and restore directories left by a killed server; only at start-up, when none is in use. */
    void dropLeftovers() {
        if (machines.isEmpty()) {
            dirs.dropEverything();
        }
    }

    /**
     * Reserves room again for every hibernated VM whose policy keeps it (after a restart the allocator
     * starts empty): derived from the VMs' policies and states, which the database holds, rather than
     * stored beside them where it could disagree. Returns the VMs that got their room.
     */
    List<String> reserveSleeping() {
        List<String> reserved = new ArrayList<>();
        for (Vm vm : fleet.list()) {
            if (!(vm.state() instanceof VmState.Hibernated) || !vm.policy().keepReserved() || vm.definition() == null) {
                continue;
            }
            synchronized (lock(vm.name())) {
                Vm now = fleet.get(vm.name());
                if (now.state() instanceof VmState.Hibernated) {
                    allocator.reserveSleeping(Room.demand(now)).ifPresent(host -> {
                        fleet.put(now.withState(now.state(), now.address(), host, now.updatedAt(), now.version()));
                        reserved.add(now.name());
                    });
                }
            }
        }
        return reserved;
    }

    Object lock(String name) {
        return locks.computeIfAbsent(name, n -> new Object());
    }

    private Journal.Step begin(String name, VmState via, VmState target, Reason reason) {
        Journal.Step step;
        synchronized (lock(name)) {
            Vm vm = fleet.get(name);
            if (!vm.state().canMoveTo(via)) {
                throw VmException.illegal(name, vm.state(), via);
            }
            step = journal.begin(vm, via, target, reason);
        }
        if (step.from() instanceof VmState.Running && !(via instanceof VmState.Running)) {
            for (Consumer<String> listener : leaving) {
                try {
                    listener.accept(name);
                } catch (RuntimeException e) {
                    LOG.atWarn().addKeyValue("vm", name).setCause(e).log("a listener of leaving VMs failed");
                }
            }
        }
        return step;
    }

    private Pending async(Journal.Step step, Supplier<Vm> work) {
        CompletableFuture<Vm> done = new CompletableFuture<>();
        Thread.ofVirtual().name(step.target().label() + "-" + step.vm().name()).start(() -> {
            try {
                done.complete(work.get());
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
        return new Pending(step.vm(), done);
    }

    private Vm boot(Journal.Step step) {
        Vm vm = step.vm();
        String host = null;
        try {
            host = room(vm);
            Machine machine = hypervisor.start(MachineSpecs.of(vm, config.readyTimeout()));
            machines.put(vm.name(), machine);
            return journal.succeed(step, vm, (Inet4Address) machine.address(), host);
        } catch (RuntimeException e) {
            allocator.release(vm.name());
            throw failed(step, VmState.FAILED, "starting", e);
        }
    }

    private Vm save(Journal.Step step) {
        Vm vm = step.vm();
        Machine machine = machines.get(vm.name());
        if (machine == null || !machine.isRunning()) {
            allocator.release(vm.name());
            throw failed(step, VmState.FAILED, "hibernating", new IllegalStateException(
                    "VM " + vm.name() + " has no running process to save"));
        }
        try {
            SavedState state = hypervisor.hibernate(machine, dirs.save(vm.id(), step.event()));
            machines.remove(vm.name(), machine);
            OptionalLong parent = vm.saved() == null ? OptionalLong.empty() : OptionalLong.of(vm.saved().version());
            Version version = snapshots.commit(vm.id(), state, parent);
            files.forget(vm.id());
            store.snapshotVersions().add(new SnapshotVersion(vm.id(), version.number(), version.parent(),
                    version.manifestKey(), version.createdAt(), version.totalBytes(), version.newBytes(),
                    version.qemuVersion(), version.machineFingerprint()));
            boolean keep = vm.policy().keepReserved();
            if (keep) {
                allocator.reserve(vm.name());
            } else {
                allocator.release(vm.name());
            }
            Vm saved = vm.withSaved(new Vm.Saved(version.number(), version.manifestKey(), version.createdAt(),
                    version.totalBytes()));
            Vm done = journal.succeed(step, saved, null, keep ? vm.host() : null);
            metrics.hibernation(step.elapsed(), version.storedBytes());
            dirs.dropSave(vm.id(), step.event());
            dirs.dropRun(vm.id());
            return done;
        } catch (RuntimeException e) {
            boolean alive = machine.isRunning();
            if (!alive) {
                machines.remove(vm.name(), machine);
                allocator.release(vm.name());
            }
            throw failed(step, alive ? VmState.RUNNING : VmState.FAILED, "hibernating", e);
        }
    }

    private Vm bringBack(Journal.Step step, Vm.Saved saved) {
        Vm vm = step.vm();
        boolean cold = restoredBefore.add(vm.id());
        try {
            String host = room(vm);
            SavedState state = files.materialize(vm.id(), saved.version(), dirs.newRun(vm.id(), step.event()));
            Machine machine;
            try {
                machine = hypervisor.restore(MachineSpecs.of(vm, config.readyTimeout()), state);
            } finally {
                files.released(vm.id());
                hypervisor.discardPrepared(vm.name()); // one prepared while the restore ran
            }
            machines.put(vm.name(), machine);
            Duration took = step.elapsed();
            Vm woken = vm.withSaved(saved).withWakeEstimate(fleet.recordRestore(vm.id(), took));
            Vm done = journal.succeed(step, woken, (Inet4Address) machine.address(), host);
            metrics.wake(step.reason(), true, cold, took);
            metrics.wokeFrom(machine.wakeSource().orElse("unknown"));
            return done;
        } catch (RuntimeException e) {
            if (vm.policy().keepReserved()) {
                allocator.reserve(vm.name());
            } else {
                allocator.release(vm.name());
            }
            dirs.dropRun(vm.id());
            metrics.wake(step.reason(), false, cold, step.elapsed());
            // the version is intact: the VM goes back to where it was
            throw failed(step, step.from(), "restoring", e);
        }
    }

    private String room(Vm vm) {
        return room.claim(vm, victim -> {
            try {
                hibernate(victim, Reason.PREEMPT).await();
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("vm", victim).setCause(e).log("preempting an idle VM failed");
            }
        });
    }

    private VmException failed(Journal.Step step, VmState back, String doing, RuntimeException cause) {
        Vm vm = step.vm();
        String why = doing + " VM " + vm.name() + " failed: " + cause.getMessage();
        boolean running = back instanceof VmState.Running;
        journal.fail(step, vm, back, running ? vm.address() : null, running || back instanceof VmState.Hibernated
                && vm.policy().keepReserved() ? vm.host() : null, why);
        LOG.atWarn().addKeyValue("vm", vm.name()).addKeyValue("state", back.label()).setCause(cause).log(why);
        return new VmException(VmException.Kind.FAILED, vm.name(), why + "; it is " + back.label() + " now", cause);
    }

    private Vm.Saved chosen(Vm vm, OptionalLong version) {
        if (version.isEmpty()) {
            if (vm.saved() == null) {
                throw new VmException(VmException.Kind.ILLEGAL_TRANSITION, vm.name(), "VM " + vm.name()
                        + " has no committed snapshot version to restore; it was never hibernated");
            }
            return vm.saved();
        }
        return store.snapshotVersions().listByVm(vm.id()).stream()
                .filter(v -> v.version() == version.getAsLong())
                .findFirst()
                .map(Fleet::saved)
                .orElseThrow(() -> new VmException(VmException.Kind.NOT_FOUND, vm.name(), "VM " + vm.name()
                        + " has no snapshot version " + version.getAsLong() + "; 'dormouse snapshot list " + vm.name()
                        + "' shows the versions there are"));
    }

    private void exited(MachineExit exit) {
        if (exit.reason() != MachineExit.Reason.CRASHED) {
            return;
        }
        Machine machine = machines.get(exit.machine());
        if (machine == null || machine.isRunning()) {
            return;
        }
        machines.remove(exit.machine(), machine);
        Thread.ofVirtual().name("exit-" + exit.machine()).start(() -> {
            Vm vm = fleet.find(exit.machine()).orElse(null);
            if (vm != null && vm.state() instanceof VmState.Running) {
                try {
                    fail(vm.name(), Reason.RECONCILE, "its process ended unexpectedly: " + exit.detail());
                } catch (RuntimeException e) {
                    LOG.atWarn().addKeyValue("vm", vm.name()).setCause(e).log("recording a crashed VM failed");
                }
            }
        });
    }
}
